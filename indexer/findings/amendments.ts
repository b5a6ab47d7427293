/**
 * Repeated amendments of one document (a declaration superseded again and again): one finding per
 * supersede chain with at least the set number of versions, recomputed from the documents table
 * (scope: the chain's first version).
 */
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import { ofType, type Positioned } from "../store/write/positioned.js";
import type { IndexedEvent } from "../events.js";
import { isoDay, type Finding } from "./finding.js";
import type { FindingSettings } from "./settings.js";

export const amendmentScope = (first: string) => `amend ${first}`;

/** The first versions of the chains these events amended (read before a rollback removes the amendments). */
export async function chainsAmendedIn(db: Kysely<Database>, events: readonly Positioned<IndexedEvent>[]): Promise<string[]> {
  const firsts = new Set<string>();
  for (const { event } of ofType(events, "documentAnchored")) {
    let hash: string | null = event.document.supersedes;
    while (hash !== null) {
      const row = await db.selectFrom("documents").select(["hash", "supersedes"]).where("hash", "=", hash).executeTakeFirst();
      if (row === undefined) break;
      if (row.supersedes === null) firsts.add(row.hash);
      hash = row.supersedes;
    }
  }
  return [...firsts];
}

export async function amendmentFindings(db: Kysely<Database>, firsts: readonly string[], settings: FindingSettings): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const first of firsts) {
    const versions: Array<Pick<Database["documents"], "hash" | "kind" | "issuer" | "anchored_at" | "anchored_event" | "superseded_by">> = [];
    for (let hash: string | null = first; hash !== null; ) {
      const row = await db.selectFrom("documents").select(["hash", "kind", "issuer", "anchored_at", "anchored_event", "superseded_by"]).where("hash", "=", hash).executeTakeFirst();
      if (row === undefined) break;
      versions.push(row);
      hash = row.superseded_by;
    }
    if (versions.length < settings.amendmentVersions) continue;
    const latest = versions.at(-1)!;
    const issuer = await db.selectFrom("organisations").select("kind").where("id", "=", latest.issuer).executeTakeFirst();
    findings.push({
      id: `REPEATED_AMENDMENTS:${first}`,
      kind: "REPEATED_AMENDMENTS",
      severity: Math.min(65, 40 + 5 * (versions.length - settings.amendmentVersions)),
      subjectKind: "document",
      subject: latest.hash,
      enterprise: issuer?.kind === "ENTERPRISE" ? latest.issuer : null,
      lot: null,
      facility: null,
      document: latest.hash,
      time: latest.anchored_at,
      event: latest.anchored_event,
      scope: amendmentScope(first),
      explanation: `${latest.issuer}'s ${latest.kind} ${first.slice(0, 10)}… was amended ${versions.length - 1} times between ${isoDay(versions[0]!.anchored_at)} and ${isoDay(latest.anchored_at)} (${versions.length} versions).`,
      evidence: { events: versions.map((version) => String(version.anchored_event)), documents: versions.map((version) => version.hash), figures: { versions: String(versions.length) } },
    });
  }
  return findings;
}
