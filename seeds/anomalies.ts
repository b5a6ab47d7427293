/**
 * The anomalies a scenario plants for an auditor to find, each with the GraphQL query (api/schema.graphql)
 * that reveals it, its variables, who may run it (the API authorises by the token's organisation and
 * role; customs auditors see everything) and `found`, which tells from the query's `data` whether the
 * answer shows the anomaly. product/demo.ts prints them; a test runs them against the API.
 */
import type { Hash, Id, LedgerTime, Period, Role } from "../domain/index.js";
import { CUSTOMS } from "./registry.js";
import { ledgerTimeIso } from "../sdk/ledger-time.js";

export type AnomalyKind = "OVER_CONSUMPTION" | "RELEASED_NEVER_RECEIVED" | "CO_REVOKED_AFTER_CLEARANCE" | "LONG_DWELL_AT_GATE" | "HOLD";

export interface Anomaly {
  kind: AnomalyKind;
  title: string;
  /** What happened, with the ids and dates involved. */
  description: string;
  enterprise?: Id;
  lot?: Id;
  facility?: Id;
  document?: Hash;
  /** When it happened (the whole scenario year for a pattern such as a slow gate). */
  period: { from: string; to: string };
  query: string;
  variables: Record<string, unknown>;
  /** Organisations and roles whose token may run the query and see the anomaly. */
  runAs: Array<{ org: Id; role: Role }>;
  /** What in the answer reveals it. */
  expect: string;
  /** Whether the query's `data` shows the anomaly. */
  found(data: unknown): boolean;
}

const iso = (time: LedgerTime) => ledgerTimeIso(time).replace(".000Z", "Z");
const periodOf = ({ from, to }: Period) => ({ from: iso(from), to: iso(to) });
const auditor = { org: CUSTOMS, role: "AUDITOR" as const };
const enterpriseRole = (org: Id) => ({ org, role: "OPERATOR" as const });

interface Edges<T> {
  edges: Array<{ node: T }>;
}
interface EventNode {
  kind: string;
  time: string;
  flagged?: boolean;
  reason?: string | null;
  documents?: Array<{ hash: string; kind: string; status: string } | null>;
}

export function overConsumption(fact: { enterprise: Id; product: Id; lot: Id; material: Id; expected: bigint; consumed: bigint; time: LedgerTime }): Anomaly {
  const day = { from: fact.time - (fact.time % 86_400n), to: fact.time - (fact.time % 86_400n) + 86_400n };
  return {
    kind: "OVER_CONSUMPTION",
    title: `${fact.enterprise} consumed ${fact.material} over its norm for ${fact.product}`,
    description: `The transform that made ${fact.lot} (${fact.product}) on ${iso(fact.time).slice(0, 10)} consumed ${fact.consumed} ${fact.material} where the registered norm allows ${fact.expected} (waste included): the ledger flagged it.`,
    enterprise: fact.enterprise,
    lot: fact.lot,
    period: periodOf(day),
    query: `query OverConsumption($actor: String!) {
  auditTrail(filter: { actor: $actor, flagged: true }, first: 50) {
    edges { node { kind time flagged deviations { material expected consumed } consumed { lotId quantity } transitions { lotId to quantity } } }
  }
}`,
    variables: { actor: fact.enterprise },
    runAs: [auditor, enterpriseRole(fact.enterprise)],
    expect: `a transform with flagged: true whose deviations show ${fact.material} consumed ${fact.consumed} > expected ${fact.expected}`,
    found: (data) =>
      (
        (data as { auditTrail?: Edges<EventNode & { deviations: Array<{ material: string; expected: string; consumed: string }> }> }).auditTrail?.edges ?? []
      ).some(
        ({ node }) => node.flagged === true && node.deviations.some((row) => row.material === fact.material && BigInt(row.consumed) > BigInt(row.expected)),
      ),
  };
}

export function releasedNeverReceived(fact: { enterprise: Id; lot: Id; material: Id; released: LedgerTime; end: LedgerTime }): Anomaly {
  return {
    kind: "RELEASED_NEVER_RECEIVED",
    title: `${fact.lot} was cleared and released but never received into production`,
    description: `${fact.enterprise} imported ${fact.material} as ${fact.lot} for processing; customs cleared and released it on ${iso(fact.released).slice(0, 10)}, and it never reached the enterprise's factory: still RELEASED at the end of the year. Duty-free processing materials may have been diverted to the domestic market.`,
    enterprise: fact.enterprise,
    lot: fact.lot,
    period: periodOf({ from: fact.released, to: fact.end }),
    query: `query ReleasedNotReceived($owner: String!) {
  lots(filter: { owner: $owner, state: RELEASED }, first: 100) {
    edges { node { id material quantity unit state stageSince location history { edges { node { kind time facility } } } } }
  }
}`,
    variables: { owner: fact.enterprise },
    runAs: [auditor, enterpriseRole(fact.enterprise)],
    expect: `${fact.lot} in state RELEASED with stageSince ${iso(fact.released)}, months before the others; its history ends with release, no receive`,
    found: (data) =>
      ((data as { lots?: Edges<{ id: string; state: string; history: Edges<EventNode> }> }).lots?.edges ?? []).some(
        ({ node }) => node.id === fact.lot && node.state === "RELEASED" && !node.history.edges.some((edge) => edge.node.kind === "receive"),
      ),
  };
}

export function coRevokedAfterClearance(fact: {
  enterprise: Id;
  lot: Id;
  co: Hash;
  issuer: Id;
  cleared: LedgerTime;
  revoked: LedgerTime;
  reason: string;
}): Anomaly {
  return {
    kind: "CO_REVOKED_AFTER_CLEARANCE",
    title: `The C/O behind ${fact.lot}'s clearance was revoked afterwards`,
    description: `${fact.lot} (${fact.enterprise}) was cleared on ${iso(fact.cleared).slice(0, 10)} with preferential duty on the strength of certificate of origin ${fact.co}, which ${fact.issuer} revoked on ${iso(fact.revoked).slice(0, 10)}: "${fact.reason}". The preference must be recovered.`,
    enterprise: fact.enterprise,
    lot: fact.lot,
    document: fact.co,
    period: periodOf({ from: fact.cleared, to: fact.revoked + 1n }),
    query: `query RevokedCertificate($lot: String!, $co: String!) {
  lot(id: $lot) {
    id owner state
    history { edges { node { kind time documents { hash kind status revocationReason } } } }
  }
  verifyDocument(hash: $co) { verdict anchor { kind issuer status subjects } checks { name outcome reason } }
}`,
    variables: { lot: fact.lot, co: fact.co },
    runAs: [auditor, enterpriseRole(fact.enterprise)],
    expect: `the clear event of ${fact.lot} cites the CO ${fact.co}, whose status is now REVOKED (verdict INVALID)`,
    found: (data) => {
      const { lot, verifyDocument } = data as { lot?: { history: Edges<EventNode> }; verifyDocument?: { verdict: string; anchor: { status: string } | null } };
      const cited = (lot?.history.edges ?? []).some(
        ({ node }) => node.kind === "clear" && (node.documents ?? []).some((doc) => doc?.hash === fact.co && doc.status === "REVOKED"),
      );
      return cited && verifyDocument?.verdict === "INVALID" && verifyDocument.anchor?.status === "REVOKED";
    },
  };
}

export function longDwellAtGate(fact: { gate: Id; stays: number; year: Period }): Anomaly {
  return {
    kind: "LONG_DWELL_AT_GATE",
    title: `Goods wait far longer at ${fact.gate} than at any other gate`,
    description: `Over the year, ${fact.stays} consignments waited at ${fact.gate} (ARRIVED) for days before storage or clearance, against hours at the other border gates: its p90 dwell is the highest by far.`,
    facility: fact.gate,
    period: periodOf(fact.year),
    query: `query GateDwell($period: PeriodInput!) {
  dwellTimes(stage: ARRIVED, period: $period) { stage facility stays p50 p90 max }
}`,
    variables: { period: periodOf(fact.year) },
    runAs: [auditor],
    expect: `${fact.gate} first (slowest first), its p90 several times the next gate's`,
    found: (data) => {
      const rows = (data as { dwellTimes?: Array<{ facility: string | null; p90: number }> }).dwellTimes ?? [];
      return rows[0]?.facility === fact.gate && rows.length > 1 && rows[0]!.p90 >= 3 * rows[1]!.p90;
    },
  };
}

export function hold(fact: { enterprise: Id; lot: Id; facility: Id; reason: string; held: LedgerTime; end: LedgerTime }): Anomaly {
  return {
    kind: "HOLD",
    title: `${fact.lot} is held at ${fact.facility}`,
    description: `Customs held ${fact.lot} (${fact.enterprise}) at ${fact.facility} on ${iso(fact.held).slice(0, 10)}: "${fact.reason}". It is still HELD at the end of the year.`,
    enterprise: fact.enterprise,
    lot: fact.lot,
    facility: fact.facility,
    period: periodOf({ from: fact.held, to: fact.end }),
    query: `query Holds {
  lots(filter: { state: HELD }, first: 100) {
    edges { node { id owner location state priorState stageSince history(last: 3) { edges { node { kind time reason } } } } }
  }
}`,
    variables: {},
    runAs: [auditor, enterpriseRole(fact.enterprise)],
    expect: `${fact.lot} HELD since ${iso(fact.held)}, its hold event giving the reason`,
    found: (data) =>
      ((data as { lots?: Edges<{ id: string; state: string; history: Edges<EventNode> }> }).lots?.edges ?? []).some(
        ({ node }) =>
          node.id === fact.lot && node.state === "HELD" && node.history.edges.some((edge) => edge.node.kind === "hold" && edge.node.reason === fact.reason),
      ),
  };
}
