/** The schema's object types by name, declared before they are implemented so types can refer to each other. */
import type { AnchoredDocument } from "../../sdk/ledger.js";
import type { Verdict } from "../../sdk/anchoring/verdict.js";
import type { EventRecord } from "../read/events.js";
import type { LotRecord } from "../read/lots.js";
import { builder } from "./builder.js";

export const LotRef = builder.objectRef<LotRecord>("Lot");
export const EventRef = builder.objectRef<EventRecord>("Event");
export const DocumentRef = builder.objectRef<AnchoredDocument>("Document");
export const VerdictRef = builder.objectRef<Verdict>("Verdict");

/** Every list of events (a lot's history, the audit trail, the events behind a discrepancy) is one connection type. */
export const EventConnection = builder.connectionObject({ type: EventRef, name: "EventConnection" }, { name: "EventEdge" });
