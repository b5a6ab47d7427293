/**
 * What the enterprises make and import: materials with their HS codes (8-digit AHTN) and units
 * (UN/CEFACT), each enterprise's product and its consumption norm (định mức), and the routes its
 * materials come by: origin, border gate, bonded warehouse or ICD, and the certificate of origin a
 * preference needs (ASEAN Form D, ACFTA Form E); and the inland depot some of them travel to under
 * customs seal from a gate (corridors.ts).
 */
import type { Id, NormInput } from "../domain/index.js";

export interface Material {
  id: Id;
  hsCode: Id;
  unit: Id;
  description: string;
  /** Share of imports that need a specialised-inspection permit, and who issues it. */
  permit: { rate: number; issuer: Id; regulation: string } | null;
}

export const MATERIALS: Readonly<Record<string, Material>> = Object.fromEntries(
  (
    [
      [
        "COTTON-FABRIC",
        "52085200",
        "MTR",
        "Vải dệt thoi 100% cotton, đã in, khổ 150 cm",
        { rate: 0.15, issuer: "VN-QUATEST3", regulation: "QCVN 01:2017/BCT (formaldehyde, azo)" },
      ],
      ["POLY-LINING", "54075200", "MTR", "Vải lót polyester dệt thoi, đã nhuộm", null],
      ["SEWING-THREAD", "52041100", "KGM", "Chỉ khâu cotton ≥85%, chưa đóng gói bán lẻ", null],
      ["BUTTONS", "96062100", "PCE", "Cúc nhựa 4 lỗ, 18L", null],
      ["IC-PROCESSOR", "85423100", "PCE", "Vi mạch xử lý (SoC) cho điện thoại di động", { rate: 0.1, issuer: "VN-MIC", regulation: "QCVN 117:2020/BTTTT" }],
      ["PCB-BARE", "85340090", "PCE", "Bảng mạch in nhiều lớp, chưa lắp ráp", null],
      ["CAPACITOR", "85322400", "PCE", "Tụ điện gốm nhiều lớp (MLCC) 0402", null],
      ["DISPLAY-MODULE", "85249100", "PCE", "Mô-đun màn hình OLED 6.1 inch", { rate: 0.3, issuer: "VN-MIC", regulation: "QCVN 118:2018/BTTTT" }],
      [
        "LEATHER-UPPER",
        "41079900",
        "MTK",
        "Da bò thuộc thành phẩm làm mũ giày",
        { rate: 0.2, issuer: "VN-QUATEST3", regulation: "QCVN 01:2017/BCT (formaldehyde)" },
      ],
      ["RUBBER-SOLE", "64062010", "PR", "Đế giày cao su lưu hóa", null],
      ["ADHESIVE", "35069100", "KGM", "Keo dán giày gốc polyurethane", null],
    ] as const
  ).map(([id, hsCode, unit, description, permit]) => [id, { id, hsCode, unit, description, permit }]),
);

export interface Product {
  id: Id;
  hsCode: Id;
  unit: Id;
  description: string;
  /** The norm: `inputs` make `outputQuantity` units. */
  outputQuantity: bigint;
  inputs: NormInput[];
}

export interface Route {
  origin: string;
  gate: Id;
  /** Bonded warehouse or ICD the goods may wait in before clearance. */
  warehouse: Id | null;
  /** The C/O issuer and form when the origin gives a preference. */
  co: { issuer: Id; form: "D" | "E" } | null;
  weight: number;
}

export interface EnterpriseProfile {
  id: Id;
  /** Short code in lot and document ids. */
  code: string;
  sector: "garments" | "electronics" | "footwear";
  factory: Id;
  product: Product;
  routes: Route[];
  exportGate: Id;
  /** Issuer of the Form D for its exports. */
  exportCoIssuer: Id;
  /** Customs declaration types: import of processing materials, export of products. */
  declarationTypes: { import: string; export: string };
  /** By border gate: the corridor (corridors.ts) to the depot near the factory, for goods cleared inland. */
  transit: Readonly<Record<Id, Id>>;
}

const input = (material: Id, quantity: bigint, wasteBps: number): NormInput => ({ material, quantity, wasteBps });

const SEA_SOUTH_D: Route[] = [
  { origin: "TH", gate: "VNSGN-CATLAI", warehouse: "VNSGN-BONDED-1", co: { issuer: "TH-DFT", form: "D" }, weight: 3 },
  { origin: "ID", gate: "VNSGN-CATLAI", warehouse: "VNSGN-BONDED-1", co: { issuer: "ID-KEMENDAG", form: "D" }, weight: 2 },
  { origin: "CN", gate: "VNSGN-CATLAI", warehouse: null, co: { issuer: "CN-CCPIT", form: "E" }, weight: 2 },
];
const NORTH_CHINA_ROAD: Route[] = [
  { origin: "CN", gate: "VNHNG-HUUNGHI", warehouse: "VNBNI-ICD-TIENSON", co: { issuer: "CN-CCPIT", form: "E" }, weight: 3 },
  { origin: "CN", gate: "VNMOC-MONGCAI", warehouse: null, co: null, weight: 2 },
  { origin: "CN", gate: "VNLCI-LAOCAI", warehouse: "VNLCI-ICD-KIMTHANH", co: { issuer: "CN-CCPIT", form: "E" }, weight: 3 },
];

export const ENTERPRISES: readonly EnterpriseProfile[] = [
  {
    id: "AN-PHAT",
    code: "APT",
    sector: "garments",
    factory: "VNBNH-ANPHAT-F1",
    product: {
      id: "MENS-TROUSERS",
      hsCode: "62034200",
      unit: "PCE",
      description: "Quần dài nam, vải cotton",
      outputQuantity: 100n,
      inputs: [input("COTTON-FABRIC", 130n, 300), input("POLY-LINING", 40n, 300), input("SEWING-THREAD", 3n, 500), input("BUTTONS", 200n, 100)],
    },
    routes: SEA_SOUTH_D,
    exportGate: "VNSGN-CATLAI",
    exportCoIssuer: "VCCI-HCM",
    declarationTypes: { import: "E31", export: "E62" },
    transit: { "VNSGN-CATLAI": "CATLAI-SONGTHAN" },
  },
  {
    id: "HOANG-LONG-GARMENT",
    code: "HLG",
    sector: "garments",
    factory: "VNNDH-HOANGLONG-F1",
    product: {
      id: "MENS-SHIRT",
      hsCode: "62052000",
      unit: "PCE",
      description: "Áo sơ mi nam dài tay, 100% cotton",
      outputQuantity: 100n,
      inputs: [input("COTTON-FABRIC", 165n, 300), input("SEWING-THREAD", 2n, 500), input("BUTTONS", 800n, 100)],
    },
    routes: [
      ...NORTH_CHINA_ROAD.slice(0, 2),
      { origin: "TH", gate: "VNHPH-DINHVU", warehouse: "VNHPH-BONDED-DV", co: { issuer: "TH-DFT", form: "D" }, weight: 3 },
    ],
    exportGate: "VNHPH-DINHVU",
    exportCoIssuer: "VN-MOIT-HN",
    declarationTypes: { import: "E21", export: "E52" },
    transit: { "VNHNG-HUUNGHI": "HUUNGHI-GIALAM" },
  },
  {
    id: "MINH-KHANG-ELEC",
    code: "MKE",
    sector: "electronics",
    factory: "VNBNI-MINHKHANG-F1",
    product: {
      id: "SMARTPHONE",
      hsCode: "85171300",
      unit: "PCE",
      description: "Điện thoại thông minh 5G",
      outputQuantity: 100n,
      inputs: [input("IC-PROCESSOR", 100n, 50), input("PCB-BARE", 100n, 100), input("CAPACITOR", 4800n, 200), input("DISPLAY-MODULE", 100n, 100)],
    },
    routes: [
      { origin: "CN", gate: "VNLCI-LAOCAI", warehouse: "VNLCI-ICD-KIMTHANH", co: { issuer: "CN-CCPIT", form: "E" }, weight: 3 },
      { origin: "KR", gate: "VNHAN-NOIBAI-CARGO", warehouse: "VNBNI-ICD-TIENSON", co: null, weight: 3 },
      { origin: "MY", gate: "VNHAN-NOIBAI-CARGO", warehouse: null, co: { issuer: "MY-MITI", form: "D" }, weight: 2 },
      { origin: "TH", gate: "VNHPH-DINHVU", warehouse: "VNHPH-BONDED-DV", co: { issuer: "TH-DFT", form: "D" }, weight: 1 },
    ],
    exportGate: "VNHAN-NOIBAI-CARGO",
    exportCoIssuer: "VN-MOIT-HN",
    declarationTypes: { import: "E31", export: "E62" },
    transit: { "VNHNG-HUUNGHI": "HUUNGHI-TIENSON" },
  },
  {
    id: "PHU-THINH-ELEC",
    code: "PTE",
    sector: "electronics",
    factory: "VNHPH-PHUTHINH-F1",
    product: {
      id: "PCBA-MODULE",
      hsCode: "85177999",
      unit: "PCE",
      description: "Bảng mạch điện tử đã lắp ráp (PCBA) cho thiết bị viễn thông",
      outputQuantity: 100n,
      inputs: [input("PCB-BARE", 100n, 150), input("CAPACITOR", 2000n, 200), input("IC-PROCESSOR", 100n, 50)],
    },
    routes: [
      { origin: "CN", gate: "VNLCI-LAOCAI", warehouse: null, co: { issuer: "CN-CCPIT", form: "E" }, weight: 3 },
      { origin: "CN", gate: "VNHPH-DINHVU", warehouse: "VNHPH-BONDED-DV", co: { issuer: "CN-CCPIT", form: "E" }, weight: 2 },
      { origin: "MY", gate: "VNHPH-DINHVU", warehouse: "VNHPH-BONDED-DV", co: { issuer: "MY-MITI", form: "D" }, weight: 2 },
    ],
    exportGate: "VNHPH-DINHVU",
    exportCoIssuer: "VN-MOIT-HN",
    declarationTypes: { import: "E21", export: "E52" },
    transit: {},
  },
  {
    id: "THANH-DAT-FOOTWEAR",
    code: "TDF",
    sector: "footwear",
    factory: "VNDNA-THANHDAT-F1",
    product: {
      id: "SPORT-SHOES",
      hsCode: "64041190",
      unit: "PR",
      description: "Giày thể thao, mũ da, đế cao su",
      outputQuantity: 100n,
      inputs: [input("LEATHER-UPPER", 28n, 800), input("RUBBER-SOLE", 100n, 100), input("ADHESIVE", 6n, 500)],
    },
    routes: SEA_SOUTH_D,
    exportGate: "VNSGN-CATLAI",
    exportCoIssuer: "VCCI-HCM",
    declarationTypes: { import: "E31", export: "E62" },
    transit: { "VNSGN-CATLAI": "CATLAI-LONGBINH" },
  },
  {
    id: "BAO-AN-SHOES",
    code: "BAS",
    sector: "footwear",
    factory: "VNBDU-BAOAN-F1",
    product: {
      id: "LEATHER-SHOES",
      hsCode: "64039990",
      unit: "PR",
      description: "Giày da nam, đế cao su",
      outputQuantity: 100n,
      inputs: [input("LEATHER-UPPER", 35n, 800), input("RUBBER-SOLE", 100n, 100), input("ADHESIVE", 5n, 500)],
    },
    routes: [...SEA_SOUTH_D, { origin: "CN", gate: "VNLCI-LAOCAI", warehouse: "VNLCI-ICD-KIMTHANH", co: { issuer: "CN-CCPIT", form: "E" }, weight: 2 }],
    exportGate: "VNSGN-CATLAI",
    exportCoIssuer: "VCCI-HCM",
    declarationTypes: { import: "E31", export: "E62" },
    transit: { "VNSGN-CATLAI": "CATLAI-SONGTHAN" },
  },
];

export function material(id: Id): Material {
  const found = MATERIALS[id];
  if (found === undefined) throw new RangeError(`no material ${id}`);
  return found;
}
