/**
 * The anomalies a scenario plants for an auditor to find, each with the GraphQL query (api/schema.graphql)
 * that reveals it, its variables, who may run it (the API authorises by the token's organisation and
 * role; customs auditors see everything) and `found`, which tells from the query's `data` whether the
 * answer shows the anomaly. product/demo.ts prints them; a test runs them against the API.
 */
import type { Hash, Id, LedgerTime, Period, Role } from "../domain/index.js";
import type { Corridor } from "./corridors.js";
import { CUSTOMS, facilityNamed } from "./registry.js";
import { ledgerTimeIso } from "../sdk/ledger-time.js";

export type AnomalyKind =
  | "OVER_CONSUMPTION"
  | "RELEASED_NEVER_RECEIVED"
  | "CO_REVOKED_AFTER_CLEARANCE"
  | "LONG_DWELL_AT_GATE"
  | "HOLD"
  | "TRANSIT_OVERDUE"
  | "SEAL_BROKEN"
  | "ROUTE_DEVIATION";

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

/** Where a transit anomaly happened: the goods, the corridor, the seal and when customs sealed it. */
interface TransitFact {
  enterprise: Id;
  lot: Id;
  corridor: Corridor;
  seal: Id;
  sealed: LedgerTime;
}

interface TransitNode {
  kind: string;
  reason: string | null;
  transitions: Array<{ lotId: string; to?: string }>;
}

const minute = (time: LedgerTime) => iso(time).slice(0, 16).replace("T", " ");
const leg = (fact: TransitFact) =>
  `under seal ${fact.seal} from ${facilityNamed(fact.corridor.gate).name} to ${facilityNamed(fact.corridor.destination).name} (${fact.corridor.name})`;
const transitEvents = (data: unknown) => ((data as { auditTrail?: Edges<TransitNode> }).auditTrail?.edges ?? []).map(({ node }) => node);

/** The arrivals the seal check held, flagged: an overdue arrival and a broken seal both show here. */
const HELD_ARRIVALS = `query HeldArrivals {
  auditTrail(filter: { kinds: ["unseal"], flagged: true }, first: 50) {
    edges { node { kind time actor facility flagged reason transitions { lotId from to } } }
  }
}`;

function heldArrival(fact: TransitFact, cause: "OVERDUE" | "SEAL_BROKEN") {
  return (data: unknown) =>
    transitEvents(data).some(
      (node) =>
        node.kind === "unseal" &&
        (node.reason ?? "").startsWith(cause) &&
        node.transitions.some((transition) => transition.lotId === fact.lot && transition.to === "HELD"),
    );
}

export function transitOverdue(fact: TransitFact & { deadline: LedgerTime; unsealed: LedgerTime }): Anomaly {
  const late = (fact.unsealed - fact.deadline) / 3_600n;
  return {
    kind: "TRANSIT_OVERDUE",
    title: `${fact.lot} reached ${fact.corridor.destination} ${late} h after its transit deadline`,
    description: `${fact.lot} (${fact.enterprise}) travelled ${leg(fact)}, sealed ${minute(fact.sealed)} with a deadline of ${minute(fact.deadline)}. The truck stopped for a day and a half on the way (the seal's track shows it, and customs recorded a LONG_STOP alert) and was unsealed at ${minute(fact.unsealed)}: the seal check held the lot OVERDUE until customs inspected it.`,
    enterprise: fact.enterprise,
    lot: fact.lot,
    facility: fact.corridor.destination,
    period: periodOf({ from: fact.sealed, to: fact.unsealed + 1n }),
    query: HELD_ARRIVALS,
    variables: {},
    runAs: [auditor, enterpriseRole(fact.enterprise)],
    expect: `the unseal of ${fact.lot} at ${fact.corridor.destination}, flagged, to HELD with reason OVERDUE`,
    found: heldArrival(fact, "OVERDUE"),
  };
}

export function sealBroken(fact: TransitFact & { opened: LedgerTime; unsealed: LedgerTime; reason: string; end: LedgerTime }): Anomaly {
  return {
    kind: "SEAL_BROKEN",
    title: `${fact.lot} arrived at ${fact.corridor.destination} with its seal broken`,
    description: `${fact.lot} (${fact.enterprise}) travelled ${leg(fact)}, sealed ${minute(fact.sealed)}. The e-seal reported itself opened at ${minute(fact.opened)} (an OPENED alert customs recorded, flagged); at the depot on ${minute(fact.unsealed)} the seal check found "${fact.reason}". The lot is still HELD at the end of the year.`,
    enterprise: fact.enterprise,
    lot: fact.lot,
    facility: fact.corridor.destination,
    period: periodOf({ from: fact.sealed, to: fact.end }),
    query: HELD_ARRIVALS,
    variables: {},
    runAs: [auditor, enterpriseRole(fact.enterprise)],
    expect: `the unseal of ${fact.lot} at ${fact.corridor.destination}, flagged, to HELD with reason SEAL_BROKEN: …`,
    found: heldArrival(fact, "SEAL_BROKEN"),
  };
}

export function routeDeviation(fact: TransitFact & { alerted: LedgerTime; detail: string; unsealed: LedgerTime }): Anomaly {
  return {
    kind: "ROUTE_DEVIATION",
    title: `The truck carrying ${fact.lot} left its transit corridor`,
    description: `${fact.lot} (${fact.enterprise}) travelled ${leg(fact)}, sealed ${minute(fact.sealed)}. At ${minute(fact.alerted)} its e-seal reported a route deviation ("${fact.detail}") and then a long stop off the corridor; customs recorded both alerts. The seal held, the lot was unsealed on time at ${minute(fact.unsealed)}, and customs inspected it at the depot. The seal's track, anchored by customs as a SEAL_TRACK batch, shows the detour.`,
    enterprise: fact.enterprise,
    lot: fact.lot,
    facility: fact.corridor.destination,
    period: periodOf({ from: fact.sealed, to: fact.unsealed + 1n }),
    query: `query SealAlerts {
  auditTrail(filter: { kinds: ["alert"] }, first: 50) {
    edges { node { kind time actor flagged reason transitions { lotId } } }
  }
}`,
    variables: {},
    runAs: [auditor, enterpriseRole(fact.enterprise)],
    expect: `alerts on ${fact.lot}: ROUTE_DEVIATION (${fact.detail}), then LONG_STOP`,
    found: (data) =>
      transitEvents(data).some(
        (node) =>
          node.kind === "alert" && (node.reason ?? "").startsWith("ROUTE_DEVIATION") && node.transitions.some((transition) => transition.lotId === fact.lot),
      ),
  };
}
