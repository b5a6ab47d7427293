/**
 * Risk findings the indexer keeps (indexer/findings/): the auditor's worklist, ranked by severity,
 * and its roll-ups per enterprise and per declaration. Each caller sees only the findings about what
 * it may see (api/read/findings.ts); a finding names nothing beyond its subject.
 */
import { FINDING_KINDS, rankOf, SEVERITY_FLOOR, SEVERITY_LABELS, severityLabel, type Finding } from "../../indexer/findings/finding.js";
import { facilitiesOperatedBy } from "../read/dwell.js";
import { countFindings, findFindings, rollUpFindings, type FindingFilter, type FindingRollup } from "../read/findings.js";
import { badInput } from "../errors.js";
import type { ApiContext } from "../context.js";
import { builder } from "./builder.js";
import { connection, counted, textKey, countedConnection } from "./pagination.js";

const FindingKindEnum = builder.enumType("FindingKind", { values: FINDING_KINDS });
const SeverityEnum = builder.enumType("Severity", {
  values: SEVERITY_LABELS,
  description: "LOW below 40, MEDIUM from 40, HIGH from 70, CRITICAL from 90 (of 100).",
});
const SubjectKindEnum = builder.enumType("FindingSubjectKind", { values: ["lot", "enterprise", "document", "facility"] as const });

const FigureRef = builder.objectRef<{ name: string; value: string }>("FindingFigure").implement({
  description: "A figure behind a finding: quantities and seconds as decimal strings.",
  fields: (t) => ({ name: t.exposeString("name"), value: t.exposeString("value") }),
});

const EvidenceRef = builder.objectRef<Finding["evidence"]>("FindingEvidence").implement({
  fields: (t) => ({
    events: t.stringList({ description: "Ids of the events it rests on (EventRecord ids).", resolve: (evidence) => evidence.events }),
    documents: t.stringList({ description: "Hashes of the documents it concerns.", resolve: (evidence) => evidence.documents }),
    figures: t.field({ type: [FigureRef], resolve: (evidence) => Object.entries(evidence.figures).map(([name, value]) => ({ name, value })) }),
  }),
});

const FindingRef = builder.objectRef<Finding>("Finding").implement({
  description: "A risk finding, computed by the indexer as the events it rests on arrived.",
  fields: (t) => ({
    id: t.exposeString("id", { description: "Stable: the same finding keeps its id." }),
    kind: t.field({ type: FindingKindEnum, resolve: (finding) => finding.kind }),
    severity: t.exposeInt("severity", { description: "0 to 100." }),
    severityLabel: t.field({ type: SeverityEnum, resolve: (finding) => severityLabel(finding.severity) }),
    subjectKind: t.field({ type: SubjectKindEnum, resolve: (finding) => finding.subjectKind }),
    subject: t.exposeString("subject", { description: "The lot id, enterprise, document hash or facility it is about." }),
    enterprise: t.exposeString("enterprise", { nullable: true }),
    lot: t.exposeString("lot", { nullable: true }),
    facility: t.exposeString("facility", { nullable: true }),
    document: t.exposeString("document", { nullable: true }),
    time: t.field({ type: "DateTime", description: "Ledger time it stands at.", resolve: (finding) => finding.time }),
    explanation: t.exposeString("explanation"),
    evidence: t.field({ type: EvidenceRef, resolve: (finding) => finding.evidence }),
  }),
});

const FindingFilterInput = builder.inputType("FindingFilter", {
  fields: (t) => ({
    kinds: t.field({ type: [FindingKindEnum] }),
    minSeverity: t.int({ description: "0 to 100 (HIGH is 70)." }),
    minLabel: t.field({ type: SeverityEnum, description: "The least severity by label; with minSeverity, the higher of the two." }),
    enterprise: t.string(),
    lot: t.string(),
    from: t.field({ type: "DateTime", description: "Findings at or after this ledger time." }),
    to: t.field({ type: "DateTime", description: "Findings before this ledger time." }),
  }),
});

const RollupRef = builder.objectRef<FindingRollup>("FindingRollup").implement({
  description: "Findings summed for one enterprise or declaration.",
  fields: (t) => ({
    key: t.exposeString("key", { description: "The enterprise, or the declaration's hash." }),
    count: t.exposeInt("count"),
    highest: t.exposeInt("highest", { description: "Its most severe finding's severity." }),
    highestLabel: t.field({ type: SeverityEnum, resolve: (rollup) => severityLabel(rollup.highest) }),
    bySeverity: t.field({
      type: [
        builder
          .objectRef<{ label: (typeof SEVERITY_LABELS)[number]; count: number }>("FindingSeverityCount")
          .implement({ fields: (f) => ({ label: f.field({ type: SeverityEnum, resolve: (entry) => entry.label }), count: f.exposeInt("count") }) }),
      ],
      resolve: (rollup) => [...rollup.bySeverity].sort((a, b) => SEVERITY_FLOOR[b.label] - SEVERITY_FLOOR[a.label]),
    }),
  }),
});

type FilterArgs =
  | {
      kinds?: readonly (typeof FINDING_KINDS)[number][] | null;
      minSeverity?: number | null;
      minLabel?: (typeof SEVERITY_LABELS)[number] | null;
      enterprise?: string | null;
      lot?: string | null;
      from?: bigint | null;
      to?: bigint | null;
    }
  | null
  | undefined;

function filterOf(args: FilterArgs): FindingFilter {
  if (args?.minSeverity != null && (args.minSeverity < 0 || args.minSeverity > 100))
    throw badInput(`minSeverity must be from 0 to 100, not ${args.minSeverity}`);
  if (args?.from != null && args.to != null && args.from >= args.to) throw badInput("from must be before to");
  const floors = [args?.minSeverity ?? 0, args?.minLabel ? SEVERITY_FLOOR[args.minLabel] : 0];
  return {
    kinds: args?.kinds ?? null,
    minSeverity: Math.max(...floors),
    enterprise: args?.enterprise ?? null,
    lot: args?.lot ?? null,
    from: args?.from ?? null,
    to: args?.to ?? null,
  };
}

/** The facilities a warehouse operates (the only ones whose findings it may see). */
const facilitiesOf = async ({ db, viewer }: ApiContext) => (viewer!.audience === "warehouse" ? facilitiesOperatedBy(db, viewer!.org) : []);

builder.queryFields((t) => ({
  findings: t.connection(
    {
      type: FindingRef,
      description:
        "Risk findings, most severe first: all for customs auditors, an enterprise's own, a warehouse's long stays and holds at its facilities of lots in its custody.",
      authScopes: { authenticated: true },
      args: { filter: t.arg({ type: FindingFilterInput }) },
      resolve: async (_root, args, context) => {
        const filter = filterOf(args.filter);
        const facilities = await facilitiesOf(context);
        const page = await connection(
          args,
          textKey((finding: Finding) => rankOf(finding.severity, finding.id)),
          (page) => findFindings(context.db, context.viewer!, facilities, filter, page),
        );
        return counted(page, () => countFindings(context.db, context.viewer!, facilities, filter));
      },
    },
    countedConnection("FindingConnection", "Findings matching the filter, on every page."),
    { name: "FindingEdge" },
  ),
  findingsByEnterprise: t.field({
    type: [RollupRef],
    description: "The findings summed per enterprise, most severe first.",
    authScopes: { authenticated: true },
    args: { filter: t.arg({ type: FindingFilterInput }) },
    resolve: async (_root, args, context) => rollUpFindings(context.db, context.viewer!, await facilitiesOf(context), filterOf(args.filter), "enterprise"),
  }),
  findingsByDeclaration: t.field({
    type: [RollupRef],
    description: "The findings summed per import or export declaration (of their lot, or the amended declaration itself), most severe first.",
    authScopes: { authenticated: true },
    args: { filter: t.arg({ type: FindingFilterInput }) },
    resolve: async (_root, args, context) => rollUpFindings(context.db, context.viewer!, await facilitiesOf(context), filterOf(args.filter), "declaration"),
  }),
}));
