/**
 * The one table between custody actions and EPCIS 2.0 events: export (`toEpcis`) and capture
 * (`fromEpcis`) both read it, so a custody action and its EPCIS event cannot drift apart.
 */
import type { CustodyActionType } from "../../domain/index.js";

/** Where an action's own fields travel in its event (besides `tg:actor`). */
export type EpcisShape =
  /** quantityList (lot, quantity, uom); tg:material, tg:hsCode, tg:direction, tg:preferenceClaimed, tg:permitRequired; the declaration as a bizTransaction */
  | "declare"
  /** quantityList (lot); the facility as readPoint and bizLocation */
  | "atFacility"
  /** quantityList (lot); tg:reason */
  | "withReason"
  /** quantityList (lot); the C/O (`cert`) and permit (`tg:permit`) as bizTransactions */
  | "clear"
  /** quantityList (lot) */
  | "lotOnly"
  /** inputQuantityList (consumed parts), outputQuantityList (new lots), ilmd tg:material (the product) */
  | "transform"
  /** inputQuantityList (the whole parent), outputQuantityList (the parts) */
  | "split"
  /** quantityList (lot); the origin as readPoint, the destination as a `location` destination; the transit declaration as a bizTransaction; tg:seal, tg:deadline */
  | "seal"
  /** quantityList (lot); the facility as readPoint and bizLocation; tg:sealIntact, tg:reason (the remark) */
  | "unseal"
  /** quantityList (lot); a sensorElementList: the seal as deviceID, one report of the alert's type with the detail as stringValue */
  | "alert";

export interface EpcisRow {
  eventType: "ObjectEvent" | "TransformationEvent";
  /** A CBV 2.0 bizStep where one means the same, else TraceGate's own (`tg:`). */
  bizStep: string;
  shape: EpcisShape;
  /** The goods pass to a new custodian: the destinationList names it as possessing_party. */
  custody: boolean;
}

export const EPCIS_TABLE: Readonly<Record<CustodyActionType, EpcisRow>> = {
  declare: { eventType: "ObjectEvent", bizStep: "tg:declaring", shape: "declare", custody: false },
  arrive: { eventType: "ObjectEvent", bizStep: "arriving", shape: "atFacility", custody: true },
  store: { eventType: "ObjectEvent", bizStep: "storing", shape: "atFacility", custody: true },
  hold: { eventType: "ObjectEvent", bizStep: "holding", shape: "withReason", custody: false },
  unhold: { eventType: "ObjectEvent", bizStep: "tg:releasing_hold", shape: "lotOnly", custody: false },
  clear: { eventType: "ObjectEvent", bizStep: "tg:clearing", shape: "clear", custody: false },
  release: { eventType: "ObjectEvent", bizStep: "tg:releasing", shape: "lotOnly", custody: true },
  depart: { eventType: "ObjectEvent", bizStep: "departing", shape: "lotOnly", custody: false },
  receive: { eventType: "ObjectEvent", bizStep: "receiving", shape: "atFacility", custody: true },
  transform: { eventType: "TransformationEvent", bizStep: "tg:processing", shape: "transform", custody: false },
  split: { eventType: "TransformationEvent", bizStep: "tg:splitting", shape: "split", custody: false },
  destroy: { eventType: "ObjectEvent", bizStep: "destroying", shape: "withReason", custody: false },
  // CBV's departing and arriving are the border's own (depart, arrive): a sealed load leaves by
  // shipping, is handed over by accepting, and its seal reports by sensor_reporting.
  seal: { eventType: "ObjectEvent", bizStep: "shipping", shape: "seal", custody: false },
  unseal: { eventType: "ObjectEvent", bizStep: "accepting", shape: "unseal", custody: true },
  alert: { eventType: "ObjectEvent", bizStep: "sensor_reporting", shape: "alert", custody: false },
};

/** The action a bizStep stands for (the table read backwards). */
export const ACTION_BY_BIZ_STEP: ReadonlyMap<string, CustodyActionType> = new Map(
  (Object.entries(EPCIS_TABLE) as Array<[CustodyActionType, EpcisRow]>).map(([action, row]) => [row.bizStep, action]),
);
