/**
 * The query parameters of GET /epcis/events (EPCIS 2.0 REST bindings, SimpleEventQuery) read into one
 * filter: what SQL can narrow (custody kinds, a period, facilities, lots, event ids) and the exact test
 * every event must pass as the caller is shown it (`matches`). A parameter this server does not know,
 * or a value it cannot read, is a QueryParameterException naming the parameter and what it takes.
 */
import { CUSTODY_ACTIONS, type CustodyActionType } from "../../domain/index.js";
import { INDEX_EPCIS_DIRECTORY } from "../../indexer/store/index.js";
import { DISPOSITIONS, EPCIS_TABLE, TG_NAMESPACE } from "../../sdk/epcis/index.js";
import { EpcisMappingError } from "../../sdk/epcis/errors.js";
import { facilityId, lotId, parseFacility, parseLot } from "../../sdk/epcis/identifiers.js";
import { EpcisProblem } from "./http.js";

export const DEFAULT_PER_PAGE = 30;
/** A larger perPage is served as this many (the Link header leads on). */
export const MAX_PER_PAGE = 1000;

const EVENT_TYPES = ["ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"];

/** CBV 2.0 business steps and dispositions: standard values TraceGate never writes match no event, others are refused. */
const CBV_BIZ_STEPS = new Set(
  "accepting arriving assembling collecting commissioning consigning creating_class_instance cycle_counting decommissioning departing destroying disassembling dispensing encoding entering_exiting holding inspecting installing killing loading other packing picking receiving removing repackaging repairing replacing reserving retail_selling sampling sensor_reporting shipping staging_outbound stock_taking stocking storing transporting unloading unpacking void_shipping".split(
    " ",
  ),
);
const CBV_DISPOSITIONS = new Set(
  "active available completeness_inferred completeness_verified conformant container_closed container_open damaged destroyed dispensed disposed encoded expired in_progress in_transit inactive mismatch_instance mismatch_class mismatch_quantity needs_replacement no_pedigree_match non_conformant non_sellable_other partially_dispensed recalled reserved retail_sold returned sellable_accessible sellable_not_accessible stolen unavailable unknown".split(
    " ",
  ),
);
const TG_BIZ_STEPS = new Set(
  Object.values(EPCIS_TABLE)
    .map((row) => row.bizStep)
    .filter((step) => step.startsWith("tg:")),
);
const TG_DISPOSITIONS = new Set(Object.values(DISPOSITIONS).filter((value): value is string => value?.startsWith("tg:") === true));

const LIST_PARAMETERS = [
  "eventType",
  "EQ_bizStep",
  "EQ_disposition",
  "EQ_bizLocation",
  "EQ_readPoint",
  "MATCH_epcClass",
  "MATCH_anyEPCClass",
  "MATCH_inputEPCClass",
  "MATCH_outputEPCClass",
  "EQ_eventID",
] as const;
const TIME_PARAMETERS = ["GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime"] as const;
export const QUERY_PARAMETERS = [...LIST_PARAMETERS, ...TIME_PARAMETERS, "perPage", "nextPageToken"] as const;

type LotList = "quantity" | "input" | "output" | "any";

export interface EpcisFilter {
  /** The custody actions that can match (eventType and EQ_bizStep), in table order. */
  kinds: CustodyActionType[];
  /** Ledger time in seconds, [from, to): eventTime and recordTime are both the ledger's time. */
  period: { from: bigint; to: bigint } | null;
  /**
   * Facility ids SQL narrows by (the event's facility: EQ_bizLocation and EQ_readPoint, which TraceGate
   * writes as both but for a sealing, read at its origin, and an alert, read on the road).
   */
  facilities: string[] | null;
  /** Each place parameter's facility ids, for the exact test. */
  places: { readPoint: string[] | null; bizLocation: string[] | null };
  /** Lot ids each lot parameter names, by the list of the event it looks in. */
  lots: Partial<Record<LotList, string[]>>;
  dispositions: Set<string> | null;
  eventIDs: string[] | null;
  /** The filter's parameters in one canonical string: a page token belongs to it. */
  canonical: string;
}

export interface EpcisQuery {
  filter: EpcisFilter;
  perPage: number;
  nextPageToken: string | null;
}

const bad = (parameter: string, detail: string) => new EpcisProblem("QueryParameterException", `${parameter}: ${detail}`);

export function parseQuery(search: URLSearchParams): EpcisQuery {
  const values = new Map<string, string[]>();
  for (const [name, value] of search) {
    if (!(QUERY_PARAMETERS as readonly string[]).includes(name)) {
      throw bad(
        name,
        `not a query parameter of this server; it takes ${QUERY_PARAMETERS.join(", ")} (several values of a list parameter comma-separated, or the parameter repeated: any of them matches)`,
      );
    }
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  const single = (name: string): string | undefined => {
    const given = values.get(name);
    if (given !== undefined && given.length > 1) throw bad(name, "given more than once; give it once");
    return given?.[0];
  };
  const list = (name: string): string[] | undefined => {
    const given = values
      .get(name)
      ?.flatMap((value) => value.split(","))
      .map((value) => value.trim());
    if (given?.some((value) => value === "")) throw bad(name, "an empty value; give one or more values, comma-separated");
    return given;
  };

  let kinds = [...CUSTODY_ACTIONS];
  const eventTypes = list("eventType");
  if (eventTypes) {
    for (const type of eventTypes)
      if (!EVENT_TYPES.includes(type)) throw bad("eventType", `${JSON.stringify(type)} is not an EPCIS event type (${EVENT_TYPES.join(", ")})`);
    kinds = kinds.filter((kind) => eventTypes.includes(EPCIS_TABLE[kind].eventType));
  }
  const bizSteps = list("EQ_bizStep")?.map((value) => cbvTerm(value, "EQ_bizStep", "bizstep", "BizStep", CBV_BIZ_STEPS, TG_BIZ_STEPS));
  if (bizSteps) kinds = kinds.filter((kind) => bizSteps.includes(EPCIS_TABLE[kind].bizStep));
  const dispositions = list("EQ_disposition")?.map((value) => cbvTerm(value, "EQ_disposition", "disp", "Disp", CBV_DISPOSITIONS, TG_DISPOSITIONS));

  const period = timeRange(single);
  const bizLocations = list("EQ_bizLocation")?.map((value) => facility(value, "EQ_bizLocation"));
  const readPoints = list("EQ_readPoint")?.map((value) => facility(value, "EQ_readPoint"));
  const facilities = bizLocations && readPoints ? bizLocations.filter((id) => readPoints.includes(id)) : (bizLocations ?? readPoints ?? null);

  const lots: EpcisFilter["lots"] = {};
  const lotParameters: Record<LotList, string> = {
    quantity: "MATCH_epcClass",
    input: "MATCH_inputEPCClass",
    output: "MATCH_outputEPCClass",
    any: "MATCH_anyEPCClass",
  };
  for (const [key, name] of Object.entries(lotParameters) as Array<[LotList, string]>) {
    const given = list(name);
    if (given) lots[key] = given.map((value) => lot(value, name));
  }
  const eventIDs = list("EQ_eventID") ?? null;
  const perPage = pageSize(single("perPage"));
  const canonical = JSON.stringify(
    [...values.entries()]
      .filter(([name]) => name !== "perPage" && name !== "nextPageToken")
      .map(([name, given]) => [name, [...given].sort()])
      .sort(([a], [b]) => (a! < b! ? -1 : 1)),
  );
  return {
    filter: {
      kinds,
      period,
      facilities,
      places: { readPoint: readPoints ?? null, bizLocation: bizLocations ?? null },
      lots,
      dispositions: dispositions ? new Set(dispositions) : null,
      eventIDs,
      canonical,
    },
    perPage,
    nextPageToken: single("nextPageToken") ?? null,
  };
}

/** Whether an event, as the caller is shown it, passes every condition of the filter. */
// biome-ignore lint/suspicious/noExplicitAny: an EPCIS event as JSON, whose optional fields the filter compares by value
export function matches(event: Record<string, any>, filter: EpcisFilter): boolean {
  const classes = (list: unknown) => (Array.isArray(list) ? list.map((element: { epcClass?: string }) => element.epcClass) : []);
  const quantity = classes(event.quantityList);
  const input = classes(event.inputQuantityList);
  const output = classes(event.outputQuantityList);
  const lists: Record<LotList, unknown[]> = { quantity, input, output, any: [...quantity, ...input, ...output] };
  for (const [key, ids] of Object.entries(filter.lots) as Array<[LotList, string[]]>) {
    if (!ids.some((id) => lists[key].includes(lotId(id)))) return false;
  }
  if (filter.dispositions && !filter.dispositions.has(event.disposition)) return false;
  for (const field of ["readPoint", "bizLocation"] as const) {
    const ids = filter.places[field];
    if (ids && !ids.some((id) => facilityId(INDEX_EPCIS_DIRECTORY, id) === event[field]?.id)) return false;
  }
  if (filter.eventIDs && !filter.eventIDs.includes(event.eventID)) return false;
  return true;
}

/** A bizStep or disposition in any of its forms (bare CBV term, URN, Web URI, tg: term or its URI), as TraceGate writes it. */
function cbvTerm(value: string, parameter: string, urn: string, web: string, standard: ReadonlySet<string>, own: ReadonlySet<string>): string {
  const term = value.startsWith(`urn:epcglobal:cbv:${urn}:`)
    ? value.slice(`urn:epcglobal:cbv:${urn}:`.length)
    : value.startsWith(`https://ref.gs1.org/cbv/${web}-`)
      ? value.slice(`https://ref.gs1.org/cbv/${web}-`.length)
      : value.startsWith(TG_NAMESPACE)
        ? `tg:${value.slice(TG_NAMESPACE.length)}`
        : value;
  if (standard.has(term) || own.has(term)) return term;
  throw bad(
    parameter,
    `${JSON.stringify(value)} is neither a CBV 2.0 value nor TraceGate's (${[...own].join(", ")}); give a bare CBV term (${[...standard][1]}), its URN (urn:epcglobal:cbv:${urn}:${[...standard][1]}) or Web URI (https://ref.gs1.org/cbv/${web}-${[...standard][1]})`,
  );
}

function facility(value: string, parameter: string): string {
  try {
    return parseFacility(INDEX_EPCIS_DIRECTORY, value, parameter);
  } catch (error) {
    if (error instanceof EpcisMappingError)
      throw bad(
        parameter,
        `${JSON.stringify(value)}: give a facility as urn:tracegate:facility:<id>, or a GLN location (SGLN or GS1 Digital Link /414/) of a facility with a GLN`,
      );
    throw error;
  }
}

function lot(value: string, parameter: string): string {
  try {
    return parseLot(value, parameter);
  } catch (error) {
    if (error instanceof EpcisMappingError) throw bad(parameter, `${JSON.stringify(value)} is not a TraceGate lot: give urn:tracegate:lot:<id>`);
    throw error;
  }
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * GE_/LT_ eventTime and recordTime as one range of whole ledger seconds [from, to): an event at second s
 * is at or after t when s ≥ ⌈t⌉ and before t when s < ⌈t⌉ (the ledger's times are whole seconds).
 */
function timeRange(single: (name: string) => string | undefined): { from: bigint; to: bigint } | null {
  let from: bigint | null = null;
  let to: bigint | null = null;
  for (const name of TIME_PARAMETERS) {
    const value = single(name);
    if (value === undefined) continue;
    const ms = DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(ms))
      throw bad(name, `${JSON.stringify(value)} is not an ISO 8601 date-time with its offset (2027-01-15T08:00:00Z, 2027-01-15T15:00:00.000+07:00)`);
    const second = BigInt(Math.ceil(ms / 1000));
    if (name.startsWith("GE_")) from = from === null || second > from ? second : from;
    else to = to === null || second < to ? second : to;
  }
  if (from === null && to === null) return null;
  return { from: from ?? 0n, to: to ?? 1n << 62n };
}

function pageSize(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PER_PAGE;
  if (!/^[0-9]{1,9}$/.test(value) || Number(value) < 1)
    throw bad(
      "perPage",
      `${JSON.stringify(value)} is not a number of events from 1 (default ${DEFAULT_PER_PAGE}; more than ${MAX_PER_PAGE} is served as ${MAX_PER_PAGE})`,
    );
  return Math.min(Number(value), MAX_PER_PAGE);
}
