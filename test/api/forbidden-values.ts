/**
 * What a caller may not see of lots, worked out from the store alone (not through the API's code): the
 * per-lot rule (customs every lot, an enterprise the lots it owns, a warehouse the lots in its custody
 * now and those under seal for a facility it operates, anyone else none) applied to the lots and
 * facilities tables, and every value each lot ever had (its transitions). A value is forbidden when it
 * belongs to a lot the caller may not see and to no lot it may see, and the caller has no other right
 * to it.
 */
import type { Kysely } from "kysely";
import type { OrgKind, Role } from "../../domain/index.js";
import type { Database } from "../../indexer/store/schema.js";

export interface Forbidden {
  /** Lots the caller may see now. */
  visible: Set<string>;
  /** Lot ids, materials, HS codes, declaration hashes, seal ids and owners of lots it may not see. */
  tokens: Set<string>;
  /** Quantities those lots ever had (and visible lots never had; below 10 they are indistinguishable from counters). */
  quantities: Set<string>;
}

type Audience = "all" | "owner" | "custodian" | "none";

function audienceOf(kind: OrgKind, role: Role): Audience {
  if (kind === "CUSTOMS") return role === "AUDITOR" || role === "OFFICER" ? "all" : "none";
  return kind === "ENTERPRISE" ? "owner" : kind === "WAREHOUSE" ? "custodian" : "none";
}

export async function forbiddenFor(db: Kysely<Database>, org: string, kind: OrgKind, role: Role): Promise<Forbidden> {
  const audience = audienceOf(kind, role);
  const lots = await db.selectFrom("lots").select(["id", "owner", "custodian", "seal", "destination"]).execute();
  const operated = new Set((await db.selectFrom("facilities").select(["id", "operator"]).execute()).filter((row) => row.operator === org).map((row) => row.id));
  const inbound = (lot: (typeof lots)[number]) => lot.seal !== "" && operated.has(lot.destination);
  const visible = new Set(
    lots
      .filter(
        (lot) => audience === "all" || (audience === "owner" && lot.owner === org) || (audience === "custodian" && (lot.custodian === org || inbound(lot))),
      )
      .map((lot) => lot.id),
  );
  const rows = await db.selectFrom("lot_transitions").select(["lot", "material", "hs_code", "quantity", "owner", "custodian", "declaration", "seal"]).execute();
  const seen = { tokens: new Set<string>([org]), quantities: new Set<string>() };
  const hidden = { tokens: new Set<string>(), quantities: new Set<string>() };
  for (const row of rows) {
    const into = visible.has(row.lot) ? seen : hidden;
    for (const value of [row.lot, row.material, row.hs_code, row.declaration, row.seal]) if (value) into.tokens.add(value);
    into.quantities.add(row.quantity);
    if (into === seen) for (const party of [row.owner, row.custodian]) seen.tokens.add(party);
    else hidden.tokens.add(row.owner);
  }
  // Its own documents' subjects: it named those lots itself. Issuers: verification names them (api/README.md).
  for (const { lot } of await db
    .selectFrom("document_subjects")
    .innerJoin("documents", "documents.hash", "document_subjects.hash")
    .select("lot")
    .where("documents.issuer", "=", org)
    .execute())
    seen.tokens.add(lot);
  for (const { issuer } of await db.selectFrom("documents").select("issuer").distinct().execute()) seen.tokens.add(issuer);
  return {
    visible,
    tokens: new Set([...hidden.tokens].filter((token) => !seen.tokens.has(token))),
    quantities: new Set([...hidden.quantities].filter((quantity) => !seen.quantities.has(quantity) && BigInt(quantity) >= 10n)),
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Lot ids, materials, HS codes, declarations and owners as whole words (not inside a longer id, a hash or a number; case-insensitive, so CIDs made from ids count). */
export function leaksIn(text: string, forbidden: Forbidden): string[] {
  const found: string[] = [];
  for (const token of forbidden.tokens) {
    const match = new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(token)}(?![A-Za-z0-9])`, "i").exec(text);
    if (match) found.push(`${token} …${text.slice(Math.max(0, match.index - 80), match.index + token.length + 40)}…`);
  }
  return found;
}

/** Keys whose values are counters or places on the chain, never quantities. */
const NOT_QUANTITIES = new Set([
  "id",
  "wasteBps",
  "eventId",
  "block",
  "tg:ledgerBlock",
  "version",
  "batchCount",
  "depth",
  "withheld",
  "stays",
  "p50",
  "p90",
  "max",
]);

/** Quantities of hidden lots as the value of any other key (numbers or decimal strings), JSON scalars included. */
export function quantitiesIn(value: unknown, forbidden: Forbidden, path = "", found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item, index) => quantitiesIn(item, forbidden, `${path}.${index}`, found));
  else if (value !== null && typeof value === "object") {
    for (const [key, field] of Object.entries(value)) {
      if ((typeof field === "string" || typeof field === "number") && !NOT_QUANTITIES.has(key) && forbidden.quantities.has(String(field)))
        found.push(`quantity ${field} at ${path}.${key}`);
      else quantitiesIn(field, forbidden, `${path}.${key}`, found);
    }
  }
  return found;
}
/** Objects in a response (JSON scalars included) that carry lot fields for a lot the caller may not see. */
export function lotRecordsIn(value: unknown, visible: ReadonlySet<string>, path = "", found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item, index) => lotRecordsIn(item, visible, `${path}.${index}`, found));
  else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const id = record.lotId ?? (record.__typename === "Lot" || "owner" in record ? record.id : undefined);
    if (typeof id === "string" && ("owner" in record || "material" in record || "quantity" in record) && !visible.has(id)) found.push(`${path}: ${id}`);
    for (const [key, field] of Object.entries(record)) lotRecordsIn(field, visible, `${path}.${key}`, found);
  }
  return found;
}
