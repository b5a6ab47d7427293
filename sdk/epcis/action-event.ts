/**
 * A custody action as the EPCIS 2.0 event a client captures for it, by the one table: what `fromEpcis`
 * reads back into the same action. Clients (the CLI, the demo, benchmarks) write their events with it.
 */
import type { CustodyAction, QuantityPart } from "../../domain/index.js";
import { ledgerTimeIso } from "../ledger-time.js";
import { documentId, facilityId, lotId, sealId, type EpcisDirectory } from "./identifiers.js";
import { EPCIS_TABLE } from "./table.js";
import { alertElement, epcisQuantity as quantity, localTime } from "./to-epcis.js";
import { BIZ_TRANSACTION_TYPES } from "./vocabulary.js";

export interface ActionEventOptions {
  directory: EpcisDirectory;
  /** When the action happened (seconds since the epoch); the ledger's own time is what counts. */
  time: bigint;
  /** The client's id for the event: a retry sends the same one. Without it, the event's hash is its id. */
  eventID?: string;
}

export function actionEvent(action: CustodyAction, options: ActionEventOptions): Record<string, unknown> {
  const { directory } = options;
  const row = EPCIS_TABLE[action.type];
  const facility = "facility" in action ? action.facility : undefined;
  const offset = (facility && directory.facility(facility)?.utcOffset) || directory.defaultOffset;
  const quantities = (parts: readonly QuantityPart[]) => parts.map((part) => ({ epcClass: lotId(part.lot), quantity: quantity(part.quantity) }));
  const event: Record<string, unknown> = {
    ...(options.eventID === undefined ? {} : { eventID: options.eventID }),
    type: row.eventType,
    eventTime: localTime(options.time, offset),
    eventTimeZoneOffset: offset,
    bizStep: row.bizStep,
  };
  switch (action.type) {
    case "transform":
      return {
        ...event,
        inputQuantityList: quantities(action.inputs),
        outputQuantityList: quantities(action.outputs),
        ilmd: { "tg:material": action.product },
      };
    case "split":
      return { ...event, inputQuantityList: [{ epcClass: lotId(action.lot) }], outputQuantityList: quantities(action.parts) };
    case "declare":
      return {
        ...event,
        action: "ADD",
        quantityList: [{ epcClass: lotId(action.lot), quantity: quantity(action.goods.quantity), uom: action.goods.unit }],
        "tg:material": action.goods.material,
        "tg:hsCode": action.goods.hsCode,
        "tg:direction": action.direction,
        "tg:preferenceClaimed": action.preferenceClaimed,
        "tg:permitRequired": action.permitRequired,
        bizTransactionList: [{ type: BIZ_TRANSACTION_TYPES.DECLARATION, bizTransaction: documentId(action.declaration) }],
      };
  }
  const body: Record<string, unknown> = { ...event, action: action.type === "destroy" ? "DELETE" : "OBSERVE", quantityList: [{ epcClass: lotId(action.lot) }] };
  if (action.type === "seal")
    // The facility of a sealing is where the load goes, not where it is read.
    return {
      ...body,
      bizTransactionList: [{ type: BIZ_TRANSACTION_TYPES.TRANSIT, bizTransaction: documentId(action.transit) }],
      destinationList: [{ type: "location", destination: facilityId(directory, action.facility) }],
      "tg:seal": sealId(action.seal),
      "tg:deadline": ledgerTimeIso(action.deadline),
    };
  if (action.type === "alert") return { ...body, sensorElementList: [alertElement(action.seal, action.alert, action.detail)] };
  if (facility !== undefined) body.readPoint = body.bizLocation = { id: facilityId(directory, facility) };
  if (action.type === "unseal") Object.assign(body, { "tg:sealIntact": action.sealIntact, "tg:reason": action.reason });
  if (action.type === "hold" || action.type === "destroy") body["tg:reason"] = action.reason;
  if (action.type === "clear") {
    const documents = [
      ...(action.co === null ? [] : [{ type: BIZ_TRANSACTION_TYPES.CO, bizTransaction: documentId(action.co) }]),
      ...(action.permit === null ? [] : [{ type: BIZ_TRANSACTION_TYPES.PERMIT, bizTransaction: documentId(action.permit) }]),
    ];
    if (documents.length > 0) body.bizTransactionList = documents;
  }
  return body;
}
