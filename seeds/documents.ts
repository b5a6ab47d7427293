/**
 * The documents the scenario anchors, as small UTF-8 JSON files shaped after their paper originals:
 * the customs declaration (tờ khai hải quan), ASEAN Form D / ACFTA Form E certificates of origin,
 * specialised-inspection results, customs inspection records, transit declarations (tờ khai vận
 * chuyển), the consumption norm and the balance report (api/balance-report.ts's format, which the API
 * reads). The ledger anchors SHA-256 of exactly these bytes. Quantities are decimal strings, never
 * floats. An electronic seal's track is its segment file (domain/seal-track.ts), anchored as a batch.
 */
import { serializeBalanceReport } from "../sdk/balance-report.js";
import type { DocumentKind, Id, LedgerTime, Period } from "../domain/index.js";
import { segmentFile, type TrackSegment } from "../domain/seal-track.js";
import type { ScenarioCast } from "./cast.js";
import type { EnterpriseProfile, Material, Route } from "./catalog.js";
import type { Corridor } from "./corridors.js";
import { ledgerTimeIso } from "../sdk/ledger-time.js";

/** Where a document finds the names and tax codes it prints: the scenario's cast. */
export type Names = Pick<ScenarioCast, "organisation" | "facility">;

export interface SeedDocument {
  kind: DocumentKind;
  /** The issuer's document id (1 to 31 printable ASCII characters). */
  id: Id;
  bytes: Uint8Array;
  /** The organisation it is issued to (a C/O's consignee, a permit's importer): it reads it too. */
  issuedTo?: Id;
}

const encoder = new TextEncoder();
const iso = (time: LedgerTime) => ledgerTimeIso(time).replace(".000Z", "Z");
const party = (names: Names, id: Id) => {
  const { name, taxCode } = names.organisation(id);
  return { id, name, taxCode };
};

function document(kind: DocumentKind, id: Id, content: object): SeedDocument {
  return { kind, id, bytes: encoder.encode(`${JSON.stringify(content, null, 2)}\n`) };
}

export interface Consignment {
  lot: Id;
  enterprise: EnterpriseProfile;
  material: Material;
  quantity: bigint;
  route: Route;
  preferenceClaimed: boolean;
  permitRequired: boolean;
  /** Invoice value in US cents. */
  valueCents: bigint;
  /** The corridor it travels under customs seal from the gate to an inland depot, if it does. */
  transit: Corridor | null;
}

export function importDeclaration(names: Names, number: string, consignment: Consignment, time: LedgerTime, amendment = 0): SeedDocument {
  const { lot, enterprise, material, quantity, route } = consignment;
  return document("DECLARATION", `TK-${number}`, {
    type: "customs-declaration",
    number,
    ...(amendment > 0 ? { amendment, note: "Khai bổ sung: điều chỉnh trọng lượng cả bì theo phiếu cân" } : {}),
    declarationType: enterprise.declarationTypes.import,
    direction: "IMPORT",
    customsOffice: names.facility(route.gate).name,
    declarant: party(names, enterprise.id),
    lot,
    goods: [
      {
        hsCode: material.hsCode,
        description: material.description,
        quantity: quantity.toString(),
        unit: material.unit,
        origin: route.origin,
        invoiceValueUsdCents: consignment.valueCents.toString(),
      },
    ],
    transport:
      consignment.transit === null
        ? { gate: route.gate, warehouse: route.warehouse }
        : { gate: route.gate, warehouse: consignment.transit.destination, underSeal: consignment.transit.name },
    preferenceClaimed: consignment.preferenceClaimed ? `Form ${route.co!.form}` : null,
    permitRequired: consignment.permitRequired,
    registeredAt: iso(time),
  });
}

export function exportDeclaration(names: Names, number: string, enterprise: EnterpriseProfile, lot: Id, quantity: bigint, time: LedgerTime): SeedDocument {
  const { product } = enterprise;
  return document("DECLARATION", `TK-${number}`, {
    type: "customs-declaration",
    number,
    declarationType: enterprise.declarationTypes.export,
    direction: "EXPORT",
    customsOffice: names.facility(enterprise.exportGate).name,
    declarant: party(names, enterprise.id),
    lot,
    goods: [{ hsCode: product.hsCode, description: product.description, quantity: quantity.toString(), unit: product.unit, origin: "VN" }],
    transport: { gate: enterprise.exportGate },
    registeredAt: iso(time),
  });
}

export function certificateOfOrigin(
  names: Names,
  reference: string,
  issuer: Id,
  form: "D" | "E",
  consignee: Id,
  lot: Id,
  goods: { hsCode: Id; description: string; quantity: bigint; unit: Id },
  time: LedgerTime,
): SeedDocument {
  const certificate = document("CO", reference, {
    type: "certificate-of-origin",
    form,
    agreement: form === "D" ? "ATIGA" : "ACFTA",
    referenceNo: reference,
    issuingAuthority: party(names, issuer),
    consignee: party(names, consignee),
    lot,
    goods: [
      {
        hsCode: goods.hsCode,
        description: goods.description,
        quantity: goods.quantity.toString(),
        unit: goods.unit,
        originCriterion: form === "D" ? "RVC 40%" : "CTH",
      },
    ],
    issuedAt: iso(time),
  });
  return { ...certificate, issuedTo: consignee };
}

export function inspectionPermit(names: Names, number: string, issuer: Id, consignment: Consignment, regulation: string, time: LedgerTime): SeedDocument {
  const permit = document("PERMIT", `KTCN-${number}`, {
    type: "specialised-inspection-result",
    number,
    authority: party(names, issuer),
    regulation,
    importer: party(names, consignment.enterprise.id),
    lot: consignment.lot,
    hsCode: consignment.material.hsCode,
    result: "ĐẠT (conforms)",
    issuedAt: iso(time),
  });
  return { ...permit, issuedTo: consignment.enterprise.id };
}

export function customsInspection(names: Names, number: string, lot: Id, facility: Id, finding: string, time: LedgerTime): SeedDocument {
  return document("INSPECTION", `BBKT-${number}`, {
    type: "customs-physical-inspection-record",
    number,
    channel: "RED",
    officeOf: names.facility(facility).name,
    lot,
    finding,
    inspectedAt: iso(time),
  });
}

/** The importer's declaration of a transit under customs seal: the truck, the corridor, the seal. */
export function transitDeclaration(
  names: Names,
  number: string,
  consignment: Consignment,
  corridor: Corridor,
  conveyance: { plate: string; seal: Id },
  time: LedgerTime,
): SeedDocument {
  return document("TRANSIT", `TKVC-${number}`, {
    type: "transit-declaration",
    number,
    declarant: party(names, consignment.enterprise.id),
    lot: consignment.lot,
    goods: { hsCode: consignment.material.hsCode, quantity: consignment.quantity.toString(), unit: consignment.material.unit },
    from: { facility: corridor.gate, name: names.facility(corridor.gate).name },
    to: { facility: corridor.destination, name: names.facility(corridor.destination).name },
    route: { corridor: corridor.id, name: corridor.name, via: corridor.waypoints.map(({ place }) => place) },
    conveyance: { mode: "ROAD", vehicle: "Xe đầu kéo + rơ moóc container (tractor and container trailer)", plate: conveyance.plate },
    seal: { id: conveyance.seal, type: "Niêm phong định vị điện tử (GPS e-seal)" },
    transitHours: corridor.deadlineHours.toString(),
    registeredAt: iso(time),
  });
}

/** A seal's track as stored: customs anchors its messages as a SEAL_TRACK batch; the goods' owner reads it too. */
export function sealTrack(segment: TrackSegment, owner: Id): SeedDocument {
  return { kind: "SEAL_TRACK", id: `TRACK-${segment.seal}`, bytes: encoder.encode(segmentFile(segment)), issuedTo: owner };
}

export function consumptionNorm(names: Names, enterprise: EnterpriseProfile, time: LedgerTime): SeedDocument {
  const { product } = enterprise;
  return document("NORM", `DM-${enterprise.code}-${product.id}`.slice(0, 31), {
    type: "consumption-norm",
    enterprise: party(names, enterprise.id),
    product: { id: product.id, hsCode: product.hsCode, unit: product.unit, description: product.description },
    outputQuantity: product.outputQuantity.toString(),
    inputs: product.inputs.map(({ material, quantity, wasteBps }) => ({ material, quantity: quantity.toString(), wasteBps })),
    registeredAt: iso(time),
  });
}

export function balanceReport(id: Id, enterprise: Id, period: Period, closing: ReadonlyMap<Id, bigint>): SeedDocument {
  return { kind: "BALANCE_REPORT", id, bytes: encoder.encode(serializeBalanceReport({ enterprise, period, closing: new Map(closing) })) };
}
