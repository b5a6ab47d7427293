/**
 * Findings as one viewer may see them (the same rules as lots): customs auditors all; an enterprise
 * those about its own goods, books and declarations, and of lots only while it owns them; a warehouse
 * the long stays and holds at its facilities of lots it may see (read/lots.ts `visibleLots`); others
 * none. Ranked by severity (the rank column), filtered, counted and rolled up per enterprise and per declaration.
 */
import type { Kysely, SelectQueryBuilder } from "kysely";
import type { Viewer } from "../auth/viewer.js";
import { findingOf, severityLabel, type Finding, type SeverityLabel } from "../../indexer/findings/finding.js";
import type { Database } from "../../indexer/store/index.js";
import { visibleLots } from "./lots.js";
import { countRows, paged, type Page } from "./page.js";

export interface FindingFilter {
  kinds?: readonly string[] | null;
  minSeverity?: number | null;
  enterprise?: string | null;
  lot?: string | null;
  /** Findings whose ledger time is in [from, to). */
  from?: bigint | null;
  to?: bigint | null;
}

/** What a warehouse may see of its facilities: stays and holds, never a facility's comparison with others. */
const WAREHOUSE_KINDS = ["LONG_STAY", "HOLD"];

type FindingsQuery = SelectQueryBuilder<Database, "findings", object>;

function visibleTo(query: FindingsQuery, viewer: Viewer, facilities: readonly string[]): FindingsQuery | null {
  switch (viewer.audience) {
    case "auditor":
      return query;
    case "enterprise":
      return query
        .where("findings.enterprise", "=", viewer.org)
        .where((eb) =>
          eb.or([
            eb("findings.lot", "is", null),
            eb.exists(eb.selectFrom("lots").select("lots.id").whereRef("lots.id", "=", "findings.lot").where("lots.owner", "=", viewer.org)),
          ]),
        );
    case "warehouse":
      if (facilities.length === 0) return null;
      return query
        .where("findings.lot", "in", (eb) => visibleLots(eb.selectFrom("lots"), viewer).select("lots.id"))
        .where("findings.kind", "in", WAREHOUSE_KINDS)
        .where("findings.facility", "in", [...facilities]);
    case "issuer":
      return null;
  }
}

function filtered(db: Kysely<Database>, viewer: Viewer, facilities: readonly string[], filter: FindingFilter): FindingsQuery | null {
  let query: FindingsQuery | null = visibleTo(db.selectFrom("findings"), viewer, facilities);
  if (query === null || filter.kinds?.length === 0) return null;
  if (filter.kinds) query = query.where("findings.kind", "in", [...filter.kinds]);
  if (filter.minSeverity != null) query = query.where("findings.severity", ">=", BigInt(filter.minSeverity));
  if (filter.enterprise) query = query.where("findings.enterprise", "=", filter.enterprise);
  if (filter.lot) query = query.where("findings.lot", "=", filter.lot);
  if (filter.from != null) query = query.where("findings.time", ">=", filter.from);
  if (filter.to != null) query = query.where("findings.time", "<", filter.to);
  return query;
}

/** One page of findings, highest severity first (the cursor is the rank). */
export async function findFindings(
  db: Kysely<Database>,
  viewer: Viewer,
  facilities: readonly string[],
  filter: FindingFilter,
  page: Page<string>,
): Promise<Finding[]> {
  const query = filtered(db, viewer, facilities, filter);
  if (query === null) return [];
  return (await paged(query.selectAll("findings"), "findings.rank", page).execute()).map(findingOf);
}

export async function countFindings(db: Kysely<Database>, viewer: Viewer, facilities: readonly string[], filter: FindingFilter): Promise<number> {
  const query = filtered(db, viewer, facilities, filter);
  if (query === null) return 0;
  return countRows(query);
}

export interface FindingRollup {
  /** The enterprise, or the declaration's hash. */
  key: string;
  count: number;
  highest: number;
  bySeverity: Array<{ label: SeverityLabel; count: number }>;
}

/**
 * Findings summed per enterprise, or per declaration (the declaration of the finding's lot, or the
 * amended declaration itself), ranked by their highest severity, then by count.
 */
export async function rollUpFindings(
  db: Kysely<Database>,
  viewer: Viewer,
  facilities: readonly string[],
  filter: FindingFilter,
  by: "enterprise" | "declaration",
): Promise<FindingRollup[]> {
  const query = filtered(db, viewer, facilities, filter);
  if (query === null) return [];
  const rows =
    by === "enterprise"
      ? await query.select(["findings.enterprise as key", "findings.severity"]).where("findings.enterprise", "is not", null).execute()
      : await query
          .leftJoin("lots", "lots.id", "findings.lot")
          .select((eb) => [
            eb.fn.coalesce("lots.declaration", eb.case().when("findings.kind", "=", "REPEATED_AMENDMENTS").then(eb.ref("findings.document")).end()).as("key"),
            "findings.severity",
          ])
          .execute();
  const groups = new Map<string, FindingRollup>();
  for (const { key, severity } of rows) {
    if (key === null || key === undefined) continue;
    const group = groups.get(key) ?? { key, count: 0, highest: 0, bySeverity: [] };
    const level = Number(severity);
    group.count += 1;
    group.highest = Math.max(group.highest, level);
    const label = severityLabel(level);
    const bucket = group.bySeverity.find((entry) => entry.label === label);
    if (bucket === undefined) group.bySeverity.push({ label, count: 1 });
    else bucket.count += 1;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.highest - a.highest || b.count - a.count || (a.key < b.key ? -1 : 1));
}
