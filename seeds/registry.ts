/**
 * Who takes part in the scenario: Vietnamese customs, processing enterprises (garments, electronics,
 * footwear), port terminals, ICDs (inland depots, some reached under customs seal) and bonded
 * warehouses, foreign C/O issuers and Vietnamese permit authorities, and their facilities with
 * UN/LOCODE-style ids. The demo network's organisations and facilities (sdk/demo-registry.ts) are part
 * of it, so a scenario loads onto `npm start`'s chain as is.
 * Names and tax codes are fictional; places and authorities are real.
 */
import { ROLES_BY_ORG_KIND, type Facility, type Id, type Organisation, type Role } from "../domain/index.js";
import { DEMO_FACILITIES, DEMO_ORGANISATIONS } from "../sdk/demo-registry.js";

export interface ScenarioOrganisation extends Organisation {
  name: string;
  /** Mã số thuế (enterprises) or the authority's reference code. */
  taxCode: string;
}

export interface ScenarioFacility extends Facility {
  name: string;
}

/** The customs administration: registrar, officers at every gate, auditors. */
export const CUSTOMS = "VNCUSTOMS";

const organisation = (id: Id, kind: Organisation["kind"], name: string, taxCode: string): ScenarioOrganisation => ({ id, kind, name, taxCode });
const facility = (id: Id, kind: Facility["kind"], operator: Id, name: string): ScenarioFacility => ({ id, kind, operator, name });

const DEMO_NAMES: Record<Id, [string, string]> = {
  VNCUSTOMS: ["Tổng cục Hải quan Việt Nam (General Department of Vietnam Customs)", "0100000001"],
  "AN-PHAT": ["Công ty TNHH Dệt may An Phát", "3701234567"],
  "SAIGON-TERMINAL": ["Công ty CP Kho vận Sài Gòn (Saigon Terminal)", "0301112223"],
  "VCCI-HCM": ["Phòng Thương mại và Công nghiệp Việt Nam – Chi nhánh TP.HCM (VCCI HCMC)", "VCCI-HCM"],
};

export const ORGANISATIONS: readonly ScenarioOrganisation[] = [
  ...DEMO_ORGANISATIONS.map(({ id, kind }) => organisation(id, kind, ...(DEMO_NAMES[id] ?? [id, id]))),
  organisation("HOANG-LONG-GARMENT", "ENTERPRISE", "Công ty CP May Hoàng Long", "0600345678"),
  organisation("MINH-KHANG-ELEC", "ENTERPRISE", "Công ty TNHH Điện tử Minh Khang", "2300987654"),
  organisation("PHU-THINH-ELEC", "ENTERPRISE", "Công ty CP Linh kiện Điện tử Phú Thịnh", "0201456789"),
  organisation("THANH-DAT-FOOTWEAR", "ENTERPRISE", "Công ty TNHH Giày da Thành Đạt", "3602345671"),
  organisation("BAO-AN-SHOES", "ENTERPRISE", "Công ty TNHH Giày Bảo An", "3703456712"),
  organisation("DINHVU-PORT", "WAREHOUSE", "Công ty CP Cảng Đình Vũ", "0200567123"),
  organisation("NOIBAI-CARGO", "WAREHOUSE", "Công ty CP Nhà ga Hàng hóa Nội Bài", "0100678234"),
  organisation("TIENSON-ICD", "WAREHOUSE", "Công ty CP ICD Tiên Sơn Bắc Ninh", "2300789345"),
  organisation("LAOCAI-LOGISTICS", "WAREHOUSE", "Công ty CP Logistics Kim Thành Lào Cai", "5300890456"),
  organisation("GIALAM-ICD", "WAREHOUSE", "Công ty CP Cảng cạn Gia Lâm", "0101901567"),
  organisation("SONGTHAN-ICD", "WAREHOUSE", "Công ty CP ICD Sóng Thần", "3700912678"),
  organisation("LONGBINH-ICD", "WAREHOUSE", "Công ty TNHH Tân Cảng Long Bình", "3600923789"),
  organisation("VN-MOIT-HN", "ISSUER", "Bộ Công Thương – Phòng Quản lý XNK khu vực Hà Nội", "MOIT-HN"),
  organisation("VN-MIC", "ISSUER", "Bộ Thông tin và Truyền thông – Cục Viễn thông (type approval)", "MIC-VNTA"),
  organisation("VN-QUATEST3", "ISSUER", "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng 3 (QUATEST 3)", "QUATEST3"),
  organisation("TH-DFT", "ISSUER", "Department of Foreign Trade, Ministry of Commerce, Thailand", "TH-DFT"),
  organisation("MY-MITI", "ISSUER", "Ministry of Investment, Trade and Industry, Malaysia", "MY-MITI"),
  organisation("ID-KEMENDAG", "ISSUER", "Ministry of Trade of the Republic of Indonesia", "ID-KEMENDAG"),
  organisation("CN-CCPIT", "ISSUER", "China Council for the Promotion of International Trade", "CN-CCPIT"),
];

const DEMO_FACILITY_NAMES: Record<Id, string> = {
  "VNSGN-CATLAI": "Cảng Cát Lái (Cat Lai port), TP.HCM",
  "VNSGN-BONDED-1": "Kho ngoại quan Sài Gòn 1 (bonded warehouse)",
  "VNBNH-ANPHAT-F1": "Nhà máy An Phát 1, Bình Dương",
};

export const FACILITIES: readonly ScenarioFacility[] = [
  ...DEMO_FACILITIES.map((f) => facility(f.id, f.kind, f.operator, DEMO_FACILITY_NAMES[f.id] ?? f.id)),
  facility("VNHNG-HUUNGHI", "BORDER_GATE", CUSTOMS, "Cửa khẩu quốc tế Hữu Nghị, Lạng Sơn"),
  facility("VNLCI-LAOCAI", "BORDER_GATE", CUSTOMS, "Cửa khẩu quốc tế đường bộ số II Kim Thành, Lào Cai"),
  facility("VNMOC-MONGCAI", "BORDER_GATE", CUSTOMS, "Cửa khẩu quốc tế Móng Cái, Quảng Ninh"),
  facility("VNHPH-DINHVU", "BORDER_GATE", "DINHVU-PORT", "Cảng Đình Vũ, Hải Phòng"),
  facility("VNHAN-NOIBAI-CARGO", "BORDER_GATE", "NOIBAI-CARGO", "Nhà ga hàng hóa Nội Bài (Noi Bai air cargo)"),
  facility("VNHPH-BONDED-DV", "WAREHOUSE", "DINHVU-PORT", "Kho ngoại quan Đình Vũ"),
  facility("VNBNI-ICD-TIENSON", "WAREHOUSE", "TIENSON-ICD", "ICD Tiên Sơn, Bắc Ninh"),
  facility("VNLCI-ICD-KIMTHANH", "WAREHOUSE", "LAOCAI-LOGISTICS", "ICD Kim Thành, Lào Cai"),
  facility("VNHAN-ICD-GIALAM", "WAREHOUSE", "GIALAM-ICD", "ICD Gia Lâm, Long Biên, Hà Nội"),
  facility("VNBDU-ICD-SONGTHAN", "WAREHOUSE", "SONGTHAN-ICD", "ICD Sóng Thần, Dĩ An, Bình Dương"),
  facility("VNDNA-ICD-LONGBINH", "WAREHOUSE", "LONGBINH-ICD", "ICD Tân Cảng Long Bình, Biên Hòa, Đồng Nai"),
  facility("VNNDH-HOANGLONG-F1", "FACTORY", "HOANG-LONG-GARMENT", "Nhà máy May Hoàng Long, Nam Định"),
  facility("VNBNI-MINHKHANG-F1", "FACTORY", "MINH-KHANG-ELEC", "Nhà máy Điện tử Minh Khang, KCN Yên Phong, Bắc Ninh"),
  facility("VNHPH-PHUTHINH-F1", "FACTORY", "PHU-THINH-ELEC", "Nhà máy Phú Thịnh, KCN Tràng Duệ, Hải Phòng"),
  facility("VNDNA-THANHDAT-F1", "FACTORY", "THANH-DAT-FOOTWEAR", "Nhà máy Giày Thành Đạt, Biên Hòa, Đồng Nai"),
  facility("VNBDU-BAOAN-F1", "FACTORY", "BAO-AN-SHOES", "Nhà máy Giày Bảo An, Thuận An, Bình Dương"),
];

/** One member account per organisation and role its kind may hold, as on the demo network. */
export interface Member {
  org: Id;
  role: Role;
}

export const MEMBERS: readonly Member[] = membersOf(ORGANISATIONS);

export function membersOf(organisations: readonly Organisation[]): Member[] {
  return organisations.flatMap(({ id, kind }) => ROLES_BY_ORG_KIND[kind].map((role) => ({ org: id, role })));
}

/** A facility of the base registry: the gates and depots every scenario shares are all here (cast.ts copies only factories). */
export function facilityNamed(id: Id): ScenarioFacility {
  const found = FACILITIES.find((candidate) => candidate.id === id);
  if (found === undefined) throw new RangeError(`no scenario facility ${id}`);
  return found;
}
