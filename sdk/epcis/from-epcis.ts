/**
 * An EPCIS 2.0 event as the custody action it records, by the table: the capture direction. Only the
 * event's shape is checked here; whether the ledger accepts the action is the ledger's to say.
 */
import {
  SEAL_ALERTS,
  sealRemark,
  type CustodyAction,
  type CustodyActionType,
  type Hash,
  type Id,
  type QuantityPart,
  type SealAlert,
} from "../../domain/index.js";
import { listAt as array, objectAt as object, refuse } from "./errors.js";
import { checkEventTime, isoSeconds } from "./event-hash.js";
import { parseDocument, parseFacility, parseLot, parseSeal, type EpcisDirectory } from "./identifiers.js";
import { ACTION_BY_BIZ_STEP, EPCIS_TABLE } from "./table.js";
import { BIZ_TRANSACTION_TYPES, SEAL_ALERT_REPORTS, TG_NAMESPACE } from "./vocabulary.js";
import { quoted } from "../../domain/json-shapes.js";

export interface CaptureContext {
  directory: EpcisDirectory;
}

export interface CapturedAction {
  /** The organisation the event says acted (`tg:actor`); the capture path decides who really does. */
  actor?: Id;
  action: CustodyAction;
}

type Field = Record<string, unknown>;

export function fromEpcis(input: unknown, context: CaptureContext): CapturedAction {
  const event = object(input, "event");
  const type = text(event.type, "type");
  if (type !== "ObjectEvent" && type !== "TransformationEvent")
    refuse("UNMAPPABLE_EVENT", "type", `a ${type} records no custody action (ObjectEvent or TransformationEvent)`);
  const bizStep = compact(text(event.bizStep, "bizStep"), "bizstep", "BizStep");
  const name = ACTION_BY_BIZ_STEP.get(bizStep);
  if (name === undefined) refuse("UNKNOWN_BIZ_STEP", "bizStep", `${JSON.stringify(event.bizStep)} is none of ${[...ACTION_BY_BIZ_STEP.keys()].join(", ")}`);
  const row = EPCIS_TABLE[name];
  if (row.eventType !== type) refuse("MALFORMED_EVENT", "type", `a ${bizStep} event is a ${row.eventType}, not a ${type}`);
  checkEventTime(event);
  const actor = event["tg:actor"] === undefined ? undefined : text(event["tg:actor"], "tg:actor");
  return { ...(actor === undefined ? {} : { actor }), action: action(name, event, context.directory) };
}

function action(name: CustodyActionType, event: Field, directory: EpcisDirectory): CustodyAction {
  const shape = EPCIS_TABLE[name].shape;
  if (shape === "transform") {
    const ilmd = object(event.ilmd, "ilmd");
    return {
      type: "transform",
      product: text(ilmd["tg:material"], "ilmd.tg:material"),
      inputs: parts(event, "inputQuantityList"),
      outputs: parts(event, "outputQuantityList"),
    };
  }
  if (shape === "split") {
    const [parent, ...others] = lots(event, "inputQuantityList");
    if (parent === undefined || others.length > 0) refuse("MALFORMED_EVENT", "inputQuantityList", "a split consumes exactly one lot");
    return { type: "split", lot: parent, parts: parts(event, "outputQuantityList") };
  }
  const [lot, ...more] = lots(event, "quantityList");
  if (lot === undefined || more.length > 0) refuse("MALFORMED_EVENT", "quantityList", `a ${name} event names exactly one lot`);
  switch (shape) {
    case "declare": {
      const [element] = parts(event, "quantityList");
      const direction = text(event["tg:direction"], "tg:direction");
      if (direction !== "IMPORT" && direction !== "EXPORT") refuse("MALFORMED_EVENT", "tg:direction", "must be IMPORT or EXPORT");
      const declaration = documents(event, "DECLARATION");
      if (declaration === null)
        refuse("MALFORMED_EVENT", "bizTransactionList", `a declaration needs its declaration document (type ${BIZ_TRANSACTION_TYPES.DECLARATION})`);
      const unit = text(object(array(event.quantityList, "quantityList")[0], "quantityList.0").uom, "quantityList.0.uom");
      return {
        type: "declare",
        lot,
        goods: { material: text(event["tg:material"], "tg:material"), hsCode: text(event["tg:hsCode"], "tg:hsCode"), unit, quantity: element!.quantity },
        direction,
        preferenceClaimed: flag(event["tg:preferenceClaimed"], "tg:preferenceClaimed"),
        permitRequired: flag(event["tg:permitRequired"], "tg:permitRequired"),
        declaration,
      };
    }
    case "atFacility":
      return { type: name as "arrive" | "store" | "receive", lot, facility: place(event, directory) };
    case "seal": {
      const transit = documents(event, "TRANSIT");
      if (transit === null) refuse("MALFORMED_EVENT", "bizTransactionList", `a sealing needs its transit declaration (type ${BIZ_TRANSACTION_TYPES.TRANSIT})`);
      return {
        type: "seal",
        lot,
        facility: destination(event, directory),
        seal: parseSeal(text(event["tg:seal"], "tg:seal"), "tg:seal"),
        deadline: isoSeconds(text(event["tg:deadline"], "tg:deadline"), "tg:deadline"),
        transit,
      };
    }
    case "unseal": {
      // An exported event's reason is the seal check's outcome (tg:flagged): the remark is behind it.
      const sealIntact = flag(event["tg:sealIntact"], "tg:sealIntact");
      const reason = event["tg:reason"] === undefined ? "" : text(event["tg:reason"], "tg:reason");
      const flagged = event["tg:flagged"] === undefined ? false : flag(event["tg:flagged"], "tg:flagged");
      return { type: "unseal", lot, facility: place(event, directory), sealIntact, reason: sealRemark(sealIntact, flagged, reason) };
    }
    case "alert":
      return { type: "alert", lot, ...sealAlert(event) };
    case "withReason":
      return { type: name as "hold" | "destroy", lot, reason: text(event["tg:reason"], "tg:reason") };
    case "clear":
      return { type: "clear", lot, co: documents(event, "CO"), permit: documents(event, "PERMIT") };
    case "lotOnly":
      return { type: name as "unhold" | "release" | "depart", lot };
  }
}

/** Where the event happened: its bizLocation, else its readPoint. */
function place(event: Field, directory: EpcisDirectory): Id {
  const [field, where] = event.bizLocation !== undefined ? ["bizLocation", event.bizLocation] : ["readPoint", event.readPoint];
  return parseFacility(directory, text(object(where, field).id, `${field}.id`), `${field}.id`);
}

/** The one destination of type location: where a sealed load must arrive. */
function destination(event: Field, directory: EpcisDirectory): Id {
  const found = array(event.destinationList ?? [], "destinationList").flatMap((item, index) => {
    const entry = object(item, `destinationList.${index}`);
    const type = compact(text(entry.type, `destinationList.${index}.type`), "sdt", "SDT");
    return type === "location"
      ? [parseFacility(directory, text(entry.destination, `destinationList.${index}.destination`), `destinationList.${index}.destination`)]
      : [];
  });
  if (found.length !== 1) refuse("MALFORMED_EVENT", "destinationList", `a sealing names exactly one destination of type location, not ${found.length}`);
  return found[0]!;
}

/** The seal and its alert: the one sensor element, its deviceID the seal, its one report of an alert's type. */
function sealAlert(event: Field): { seal: Id; alert: SealAlert; detail: string } {
  const elements = array(event.sensorElementList, "sensorElementList");
  if (elements.length !== 1) refuse("MALFORMED_EVENT", "sensorElementList", "an alert is one sensor element");
  const element = object(elements[0], "sensorElementList.0");
  const seal = parseSeal(
    text(object(element.sensorMetadata, "sensorElementList.0.sensorMetadata").deviceID, "sensorElementList.0.sensorMetadata.deviceID"),
    "sensorElementList.0.sensorMetadata.deviceID",
  );
  const reports = array(element.sensorReport, "sensorElementList.0.sensorReport");
  if (reports.length !== 1) refuse("MALFORMED_EVENT", "sensorElementList.0.sensorReport", "an alert is one sensor report");
  const report = object(reports[0], "sensorElementList.0.sensorReport.0");
  const type = tgTerm(text(report.type, "sensorElementList.0.sensorReport.0.type"));
  const alert = SEAL_ALERTS.find((name) => SEAL_ALERT_REPORTS[name].type === type);
  if (alert === undefined)
    refuse(
      "MALFORMED_EVENT",
      "sensorElementList.0.sensorReport.0.type",
      `${JSON.stringify(report.type)} is none of ${SEAL_ALERTS.map((name) => SEAL_ALERT_REPORTS[name].type).join(", ")}`,
    );
  const detail = report.stringValue === undefined ? "" : text(report.stringValue, "sensorElementList.0.sensorReport.0.stringValue");
  return { seal, alert, detail };
}

/** The one document of this kind in the bizTransactionList, or null. */
function documents(event: Field, kind: "DECLARATION" | "CO" | "PERMIT" | "TRANSIT"): Hash | null {
  if (event.bizTransactionList === undefined) return null;
  const found = array(event.bizTransactionList, "bizTransactionList").flatMap((item, index) => {
    const entry = object(item, `bizTransactionList.${index}`);
    const type = entry.type === undefined ? undefined : compact(text(entry.type, `bizTransactionList.${index}.type`), "btt", "BTT");
    return type === BIZ_TRANSACTION_TYPES[kind]
      ? [parseDocument(text(entry.bizTransaction, `bizTransactionList.${index}.bizTransaction`), `bizTransactionList.${index}.bizTransaction`)]
      : [];
  });
  if (found.length > 1) refuse("MALFORMED_EVENT", "bizTransactionList", `names ${found.length} documents of type ${BIZ_TRANSACTION_TYPES[kind]}; one at most`);
  return found[0] ?? null;
}

/** The lots a quantity list names: the action takes each whole, so a quantity may be left out (EPCIS allows it), but one given must be whole. */
function lots(event: Field, field: string): Id[] {
  return array(event[field] ?? [], field).map((item, index) => {
    const element = object(item, `${field}.${index}`);
    if (element.quantity !== undefined) quantity(element.quantity, `${field}.${index}.quantity`);
    return parseLot(text(element.epcClass, `${field}.${index}.epcClass`), `${field}.${index}.epcClass`);
  });
}

function parts(event: Field, field: string): QuantityPart[] {
  return array(event[field] ?? [], field).map((item, index) => {
    const element = object(item, `${field}.${index}`);
    return {
      lot: parseLot(text(element.epcClass, `${field}.${index}.epcClass`), `${field}.${index}.epcClass`),
      quantity: quantity(element.quantity, `${field}.${index}.quantity`),
    };
  });
}

/**
 * A capture body as JSON, a quantity as written: `JSON.parse` rounds a number to the nearest double,
 * so `1.0000000000000001` or `4503599627370496.5` would read as a whole quantity. A `quantity` whose
 * literal is not the whole number it was rounded to is kept as its literal, a string `quantity()`
 * refuses. Node 22's reviver sees each number's source text; it makes a parse ten times slower, so it
 * runs only on a text where such a quantity may be: one written with a fraction or an exponent, or a
 * key spelled with a \u escape.
 */
export function parseCaptureJson(text: string): unknown {
  if (!MAYBE_INEXACT_QUANTITY.test(text)) return JSON.parse(text);
  return JSON.parse(text, (key, value, context?: { source?: string }) =>
    key === "quantity" && Number.isInteger(value) && context?.source !== undefined && !wholeLiteral(context.source) ? context.source : value,
  );
}
const MAYBE_INEXACT_QUANTITY = /"quantity"\s*:\s*-?\d+[.eE]|\\u/;

/** Whether a JSON number literal is a whole number as written: no digit but 0 after the point once the exponent has moved it. */
export function wholeLiteral(literal: string): boolean {
  const [, whole = "", fraction = "", exponent = "0"] = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal) ?? [];
  return whole !== "" && !/[1-9]/.test((whole + fraction).slice(Math.max(whole.length + Number(exponent), 0)));
}

/** A whole number of units: a JSON number that is a safe integer, or a decimal string (beyond 2^53). */
function quantity(raw: unknown, field: string): bigint {
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0) return BigInt(raw);
  if (typeof raw === "string" && /^\d{1,40}$/.test(raw)) return BigInt(raw);
  return refuse("MALFORMED_EVENT", field, `${quoted(raw)} is not a whole quantity`);
}

/** CBV terms as the table spells them: bare, from a URN or Web URI; TraceGate's full IRIs as `tg:` terms. */
function compact(term: string, urnKind: string, webKind: string): string {
  const urn = `urn:epcglobal:cbv:${urnKind}:`;
  const web = `https://ref.gs1.org/cbv/${webKind}-`;
  if (term.startsWith(urn)) return term.slice(urn.length);
  if (term.startsWith(web)) return term.slice(web.length);
  if (term.startsWith(`cbv:${webKind}-`)) return term.slice(`cbv:${webKind}-`.length);
  return tgTerm(term);
}

/** TraceGate's full IRIs as `tg:` terms. */
function tgTerm(term: string): string {
  return term.startsWith(TG_NAMESPACE) ? `tg:${term.slice(TG_NAMESPACE.length)}` : term;
}

function text(raw: unknown, field: string): string {
  if (typeof raw !== "string") refuse("MALFORMED_EVENT", field, raw === undefined ? "is missing" : "must be a string");
  return raw;
}

function flag(raw: unknown, field: string): boolean {
  if (typeof raw !== "boolean") refuse("MALFORMED_EVENT", field, raw === undefined ? "is missing" : "must be true or false");
  return raw;
}
