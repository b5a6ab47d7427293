/** Contract events as the domain's `LedgerEvent`s (and the registry's own registration events). */
import { LogDescription, type EventFragment, type Interface, type Result } from "ethers";
import {
  CUSTODY_ACTIONS,
  DOCUMENT_KINDS,
  FACILITY_KINDS,
  LOT_STATES,
  ORG_KINDS,
  ROLES,
  type CustodyEvent,
  type FacilityKind,
  type Id,
  type LedgerEvent,
  type LedgerTime,
  type LotTransition,
  type NormDeviation,
  type OrgKind,
  type Role,
} from "../../domain/index.js";
import { contractInterface } from "./artifacts.js";
import { decodeHash, decodeId, decodeOptionalHash, enumValue } from "./ids.js";
import type { OrganisationDirectory } from "./organisations.js";
import { decodeLot, decodeNorm, decodePart } from "./structs.js";

/** A log as JSON-RPC returns it. */
export interface RawLog {
  topics: readonly string[];
  data: string;
}

/** Registry administration, which the domain leaves to each ledger. */
export type RegistryEvent =
  | { type: "organisationRegistered"; id: Id; index: number; kind: OrgKind }
  | { type: "memberRegistered"; account: string; org: number; role: Role }
  | { type: "facilityRegistered"; id: Id; operator: number; kind: FacilityKind };

/** Each TraceGate event by its topic, with the interface that decodes it. */
let eventsByTopic: Map<string, { iface: Interface; event: EventFragment }> | undefined;

function parse(log: RawLog): LogDescription | null {
  if (eventsByTopic === undefined) {
    eventsByTopic = new Map();
    for (const name of ["TraceGateRegistry", "CustodyRegistry"] as const) {
      const iface = contractInterface(name);
      iface.forEachEvent((event) => eventsByTopic!.set(event.topicHash, { iface, event }));
    }
  }
  const known = log.topics[0] === undefined ? undefined : eventsByTopic.get(log.topics[0]);
  if (known === undefined) return null;
  return new LogDescription(known.event, log.topics[0]!, known.iface.decodeEventLog(known.event, log.data, log.topics));
}

/**
 * The domain event a TraceGate log records, or undefined for any other log. `time` is the timestamp of
 * the log's block (the ledger time of the action).
 */
export function decodeLedgerEvent(log: RawLog, time: LedgerTime, orgs: OrganisationDirectory): LedgerEvent | undefined {
  const event = parse(log);
  if (event === null) return undefined;
  const { args } = event;
  switch (event.name) {
    case "CustodyRecorded": {
      const lot = decodeLot(args.getValue("next"), orgs);
      return custodyEvent(args, orgs, time, {
        facility: lot.location,
        reason: args.getValue("reason"),
        transitions: [{ from: enumValue(LOT_STATES, args.getValue("from")), lot }],
      });
    }
    case "LineageRecorded": {
      const transitions = (args.getValue("transitions") as Result[]).map(
        (transition): LotTransition => ({
          from: enumValue(LOT_STATES, transition.getValue("from")),
          lot: decodeLot(transition.getValue("lot"), orgs),
        }),
      );
      const deviations = (args.getValue("deviations") as Result[]).map(
        (row): NormDeviation => ({
          material: decodeId(row.getValue("material")),
          expected: row.getValue("expected"),
          consumed: row.getValue("consumed"),
        }),
      );
      return custodyEvent(args, orgs, time, {
        facility: transitions[0]!.lot.location,
        deviations,
        flagged: args.getValue("flagged"),
        consumed: (args.getValue("consumed") as Result[]).map(decodePart),
        transitions,
      });
    }
    case "DocumentAnchored":
      return {
        type: "documentAnchored",
        document: {
          hash: decodeHash(args.getValue("hash")),
          id: decodeId(args.getValue("id")),
          kind: enumValue(DOCUMENT_KINDS, args.getValue("kind")),
          cid: args.getValue("cid"),
          issuer: orgs.idOf(args.getValue("issuer")),
          subjects: (args.getValue("subjects") as string[]).map(decodeId),
          version: Number(args.getValue("version")),
          supersedes: decodeOptionalHash(args.getValue("supersedes")),
          supersededBy: null,
          status: "VALID",
          anchoredAt: time,
        },
        time,
      };
    case "DocumentRevoked":
      return {
        type: "documentRevoked",
        hash: decodeHash(args.getValue("hash")),
        issuer: orgs.idOf(args.getValue("issuer")),
        reason: args.getValue("reason"),
        time,
      };
    case "BatchAnchored":
      return {
        type: "batchAnchored",
        batch: {
          root: decodeHash(args.getValue("root")),
          kind: enumValue(DOCUMENT_KINDS, args.getValue("kind")),
          issuer: orgs.idOf(args.getValue("issuer")),
          count: Number(args.getValue("count")),
          anchoredAt: time,
        },
        time,
      };
    case "BatchMemberRevoked":
      return {
        type: "batchMemberRevoked",
        root: decodeHash(args.getValue("root")),
        leaf: decodeHash(args.getValue("leaf")),
        issuer: orgs.idOf(args.getValue("issuer")),
        kind: enumValue(DOCUMENT_KINDS, args.getValue("kind")),
        reason: args.getValue("reason"),
        time,
      };
    case "NormRegistered":
      return { type: "normRegistered", norm: decodeNorm(orgs.idOf(args.getValue("owner")), args.getValue("norm")), time };
    default:
      return undefined;
  }
}

function custodyEvent(
  args: Result,
  orgs: OrganisationDirectory,
  time: LedgerTime,
  fields: Pick<CustodyEvent, "facility" | "transitions"> & Partial<CustodyEvent>,
): CustodyEvent {
  return {
    type: "custody",
    action: enumValue(CUSTODY_ACTIONS, args.getValue("action")),
    actor: orgs.idOf(args.getValue("actor")),
    documents: (args.getValue("documents") as string[]).map(decodeHash),
    reason: "",
    deviations: [],
    flagged: false,
    consumed: [],
    time,
    ...fields,
  };
}

/** The registration a registry log records, or undefined for any other log. */
export function decodeRegistryEvent(log: RawLog): RegistryEvent | undefined {
  const event = contractInterface("TraceGateRegistry").parseLog({ topics: [...log.topics], data: log.data });
  if (event === null) return undefined;
  const { args } = event;
  switch (event.name) {
    case "OrganisationRegistered":
      return {
        type: "organisationRegistered",
        id: decodeId(args.getValue("id")),
        index: Number(args.getValue("index")),
        kind: enumValue(ORG_KINDS, args.getValue("kind")),
      };
    case "MemberRegistered":
      return {
        type: "memberRegistered",
        account: args.getValue("account"),
        org: Number(args.getValue("org")),
        role: enumValue(ROLES, args.getValue("role")),
      };
    case "FacilityRegistered":
      return {
        type: "facilityRegistered",
        id: decodeId(args.getValue("id")),
        operator: Number(args.getValue("operator")),
        kind: enumValue(FACILITY_KINDS, args.getValue("kind")),
      };
    default:
      return undefined;
  }
}
