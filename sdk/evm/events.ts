/** Contract events as the domain's `LedgerEvent`s (and the registry's own registration events). */

import {
  CUSTODY_ACTIONS,
  DOCUMENT_KINDS,
  FACILITY_KINDS,
  LOT_STATES,
  alertOf,
  ORG_KINDS,
  ROLES,
  type CustodyActionType,
  type CustodyEvent,
  type FacilityKind,
  type Id,
  type LedgerEvent,
  type LedgerTime,
  type Lot,
  type LotTransition,
  type NormDeviation,
  type OrgKind,
  type Role,
} from "../../domain/index.js";
import { contractInterface } from "./artifacts.js";
import { decodeHash, decodeId, decodeOptionalHash, enumValue, type MalformedValueSink } from "./ids.js";
import { preTransitEvent } from "./legacy-events.js";
import { logDecoder, type DecodedTuple } from "./log-decoder.js";
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
  | { type: "memberRegistered" | "memberRemoved"; account: string; org: number; role: Role }
  | { type: "facilityRegistered"; id: Id; operator: number; kind: FacilityKind };

/** A decoder for each TraceGate event, by its topic. */
let decoders: Map<string, { name: string; decode: ReturnType<typeof logDecoder> }> | undefined;

function parse(log: RawLog, malformed?: MalformedValueSink): { name: string; args: DecodedTuple } | null {
  if (decoders === undefined) {
    decoders = new Map();
    for (const contract of ["TraceGateRegistry", "CustodyRegistry"] as const) {
      contractInterface(contract).forEachEvent((event) => {
        for (const fragment of [event, preTransitEvent(event) ?? []].flat()) {
          decoders!.set(fragment.topicHash, { name: event.name, decode: logDecoder(fragment) });
        }
      });
    }
  }
  const decoder = log.topics[0] === undefined ? undefined : decoders.get(log.topics[0].toLowerCase());
  return decoder === undefined ? null : { name: decoder.name, args: decoder.decode(log.topics, log.data, malformed) };
}

/** Printable ASCII without space, up to 128 characters: the domain's CIDs (domain/documents.ts). */
const CID = /^[\x21-\x7e]{1,128}$/;

/**
 * A CID as emitted. One the domain's format refuses is kept as decoded (a contract deployed before
 * the contracts checked CIDs may have emitted it) except that U+0000, which a PostgreSQL text column
 * cannot hold, becomes U+FFFD; `malformed` hears of it.
 */
function decodeCid(cid: string, malformed: MalformedValueSink | undefined): string {
  if (CID.test(cid)) return cid;
  malformed?.("cid", `0x${Buffer.from(cid).toString("hex")}`);
  return cid.replaceAll("\0", "\uFFFD");
}

/**
 * The domain event a TraceGate log records, or undefined for any other log. `time` is the timestamp of
 * the log's block (the ledger time of the action). Never throws on a log a TraceGate contract could
 * have emitted: an id, CID or reason the domain's format refuses decodes as decodeId, decodeCid and the
 * log decoder say, and `malformed` hears of each.
 */
export function decodeLedgerEvent(log: RawLog, time: LedgerTime, orgs: OrganisationDirectory, malformed?: MalformedValueSink): LedgerEvent | undefined {
  const event = parse(log, malformed);
  if (event === null) return undefined;
  const { args } = event;
  switch (event.name) {
    case "CustodyRecorded": {
      const lot = decodeLot(args.getValue("next"), orgs, malformed);
      const reason: string = args.getValue("reason");
      return custodyEvent(args, orgs, time, {
        facility: lot.location,
        reason,
        flagged: isFlaggedTransit(enumValue(CUSTODY_ACTIONS, args.getValue("action")), lot, reason),
        transitions: [{ from: enumValue(LOT_STATES, args.getValue("from")), lot }],
      });
    }
    case "LineageRecorded": {
      const transitions = (args.getValue("transitions") as DecodedTuple[]).map(
        (transition): LotTransition => ({
          from: enumValue(LOT_STATES, transition.getValue("from")),
          lot: decodeLot(transition.getValue("lot"), orgs, malformed),
        }),
      );
      const deviations = (args.getValue("deviations") as DecodedTuple[]).map(
        (row): NormDeviation => ({
          material: decodeId(row.getValue("material"), malformed),
          expected: row.getValue("expected"),
          consumed: row.getValue("consumed"),
        }),
      );
      return custodyEvent(args, orgs, time, {
        facility: transitions[0]!.lot.location,
        deviations,
        flagged: args.getValue("flagged"),
        consumed: (args.getValue("consumed") as DecodedTuple[]).map((part) => decodePart(part, malformed)),
        transitions,
      });
    }
    case "DocumentAnchored":
      return {
        type: "documentAnchored",
        document: {
          hash: decodeHash(args.getValue("hash")),
          id: decodeId(args.getValue("id"), malformed),
          kind: enumValue(DOCUMENT_KINDS, args.getValue("kind")),
          cid: decodeCid(args.getValue("cid"), malformed),
          issuer: orgs.idOf(args.getValue("issuer")),
          subjects: (args.getValue("subjects") as string[]).map((subject) => decodeId(subject, malformed)),
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
      return { type: "normRegistered", norm: decodeNorm(orgs.idOf(args.getValue("owner")), args.getValue("norm"), malformed), time };
    default:
      return undefined;
  }
}

/**
 * The domain's `flagged` of an event CustodyRecorded carries without the field: an unseal that held the
 * lot (a broken seal, an arrival after the deadline), an OPENED alert (whose reason starts with its name).
 */
function isFlaggedTransit(action: CustodyActionType, lot: Lot, reason: string): boolean {
  if (action === "unseal") return lot.state === "HELD";
  if (action === "alert") return alertOf(reason)?.alert === "OPENED";
  return false;
}

function custodyEvent(
  args: DecodedTuple,
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

/** The registration a registry log records, or undefined for any other log (ids as decodeLedgerEvent). */
export function decodeRegistryEvent(log: RawLog, malformed?: MalformedValueSink): RegistryEvent | undefined {
  const event = parse(log, malformed);
  if (event === null) return undefined;
  const { args } = event;
  switch (event.name) {
    case "OrganisationRegistered":
      return {
        type: "organisationRegistered",
        id: decodeId(args.getValue("id"), malformed),
        index: Number(args.getValue("index")),
        kind: enumValue(ORG_KINDS, args.getValue("kind")),
      };
    case "MemberRegistered":
    case "MemberRemoved":
      return {
        type: event.name === "MemberRegistered" ? "memberRegistered" : "memberRemoved",
        account: args.getValue("account"),
        org: Number(args.getValue("org")),
        role: enumValue(ROLES, args.getValue("role")),
      };
    case "FacilityRegistered":
      return {
        type: "facilityRegistered",
        id: decodeId(args.getValue("id"), malformed),
        operator: Number(args.getValue("operator")),
        kind: enumValue(FACILITY_KINDS, args.getValue("kind")),
      };
    default:
      return undefined;
  }
}
