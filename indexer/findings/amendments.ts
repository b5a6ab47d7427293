/**
 * Repeated amendments of one document (a declaration superseded again and again): one finding per
 * supersede chain with at least the set number of versions, recomputed from the documents table
 * (scope: the chain's first version).
 */
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import { chunks } from "../store/write/insert-rows.js";
import { ofType, type Positioned } from "../store/write/positioned.js";
import type { IndexedEvent } from "../events.js";
import { isoDay, type Finding } from "./finding.js";
import type { FindingSettings } from "./settings.js";

export const amendmentScope = (first: string) => `amend ${first}`;

/** The first versions of the chains these events amended (read before a rollback removes the amendments). */
export async function chainsAmendedIn(db: Kysely<Database>, events: readonly Positioned<IndexedEvent>[]): Promise<string[]> {
  const firsts = new Set<string>();
  // Every chain walked back together, one query per step back rather than one per version.
  let frontier: string[] = ofType(events, "documentAnchored").flatMap(({ event }) => (event.document.supersedes === null ? [] : [event.document.supersedes]));
  while (frontier.length > 0) {
    const rows = await documentsIn(db, frontier);
    for (const row of rows) if (row.supersedes === null) firsts.add(row.hash);
    frontier = [...new Set(rows.flatMap(({ supersedes }) => (supersedes === null ? [] : [supersedes])))];
  }
  return [...firsts];
}

type Version = Pick<Database["documents"], "hash" | "kind" | "issuer" | "anchored_at" | "anchored_event" | "superseded_by">;

/** Each chain's versions from its first on, all chains walked forward together. */
async function chainsFrom(db: Kysely<Database>, firsts: readonly string[]): Promise<Map<string, Version[]>> {
  const chains = new Map(firsts.map((first) => [first, [] as Version[]]));
  let frontier = new Map(firsts.map((first) => [first, first]));
  while (frontier.size > 0) {
    const next = new Map<string, string>();
    for (const row of await documentsIn(db, [...frontier.keys()])) {
      const first = frontier.get(row.hash)!;
      chains.get(first)!.push(row);
      if (row.superseded_by !== null) next.set(row.superseded_by, first);
    }
    frontier = next;
  }
  return chains;
}

async function documentsIn(db: Kysely<Database>, hashes: readonly string[]): Promise<Array<Database["documents"]>> {
  const rows: Array<Database["documents"]> = [];
  for (const chunk of chunks(hashes)) rows.push(...(await db.selectFrom("documents").selectAll().where("hash", "in", chunk).execute()));
  return rows;
}

export async function amendmentFindings(db: Kysely<Database>, firsts: readonly string[], settings: FindingSettings): Promise<Finding[]> {
  const amended = [...(await chainsFrom(db, firsts))].filter(([, versions]) => versions.length >= settings.amendmentVersions);
  const issuers = new Map<string, string>();
  for (const chunk of chunks([...new Set(amended.map(([, versions]) => versions.at(-1)!.issuer))])) {
    for (const { id, kind } of await db.selectFrom("organisations").select(["id", "kind"]).where("id", "in", chunk).execute()) issuers.set(id, kind);
  }
  const findings: Finding[] = [];
  for (const [first, versions] of amended) {
    const latest = versions.at(-1)!;
    findings.push({
      id: `REPEATED_AMENDMENTS:${first}`,
      kind: "REPEATED_AMENDMENTS",
      severity: Math.min(65, 40 + 5 * (versions.length - settings.amendmentVersions)),
      subjectKind: "document",
      subject: latest.hash,
      enterprise: issuers.get(latest.issuer) === "ENTERPRISE" ? latest.issuer : null,
      lot: null,
      facility: null,
      document: latest.hash,
      time: latest.anchored_at,
      event: latest.anchored_event,
      scope: amendmentScope(first),
      explanation: `${latest.issuer}'s ${latest.kind} ${first.slice(0, 10)}… was amended ${versions.length - 1} times between ${isoDay(versions[0]!.anchored_at)} and ${isoDay(latest.anchored_at)} (${versions.length} versions).`,
      evidence: {
        events: versions.map((version) => String(version.anchored_event)),
        documents: versions.map((version) => version.hash),
        figures: { versions: String(versions.length) },
      },
    });
  }
  return findings;
}
