/**
 * The exact test of GET /epcis/events for transit's events: a sealing is read at its origin (readPoint)
 * and has no business location on its way; an alert has neither; an unseal both, at the destination.
 * EQ_readPoint and EQ_bizLocation each test their own field, as EPCIS 2.0 says.
 */
import { describe, expect, it } from "vitest";
import { documentHash, type CustodyEvent, type Lot } from "../../domain/index.js";
import { matches, parseQuery } from "../../api/epcis/query-parameters.js";
import { INDEX_EPCIS_DIRECTORY } from "../../indexer/store/index.js";
import { toEpcis } from "../../sdk/epcis/index.js";

const lot: Lot = {
  id: "LOT-T",
  material: "FABRIC",
  hsCode: "52085200",
  unit: "KGM",
  quantity: 10n,
  owner: "ENT",
  custodian: "CUSTOMS",
  location: "GATE-1",
  state: "IN_TRANSIT",
  priorState: "NONE",
  direction: "IMPORT",
  preferenceClaimed: false,
  permitRequired: false,
  declaration: null,
  seal: "ES-1",
  destination: "WH-1",
  deadline: 1_800_086_400n,
};
const transit = documentHash("query transit declaration");
const event = (action: "seal" | "alert" | "unseal", after: Lot, extra: Partial<CustodyEvent> = {}): Record<string, unknown> =>
  toEpcis(
    {
      type: "custody",
      action,
      actor: "CUSTOMS",
      facility: after.location,
      documents: [],
      reason: "",
      deviations: [],
      flagged: false,
      consumed: [],
      transitions: [{ from: action === "seal" ? "ARRIVED" : "IN_TRANSIT", lot: after }],
      time: 1_800_000_000n,
      ...extra,
    },
    { directory: INDEX_EPCIS_DIRECTORY, kindOf: (hash) => (hash === transit ? "TRANSIT" : undefined) },
  );
const sealed = event("seal", lot, { documents: [transit] });
const alerted = event("alert", lot, { reason: "OPENED: lock forced", flagged: true });
const unsealed = event("unseal", { ...lot, state: "ARRIVED", location: "WH-1", custodian: "WH-OP", seal: "", destination: "", deadline: 0n });
const passes = (query: string, epcis: Record<string, unknown>) => matches(epcis, parseQuery(new URLSearchParams(query)).filter);

describe("EPCIS queries of transit events", () => {
  it("find a sealing by its read point, never by a business location it does not have", () => {
    expect(passes("EQ_readPoint=urn:tracegate:facility:GATE-1", sealed)).toBe(true);
    expect(passes("EQ_bizLocation=urn:tracegate:facility:GATE-1", sealed)).toBe(false);
    expect(passes("EQ_bizStep=shipping&EQ_disposition=in_transit", sealed)).toBe(true);
  });

  it("find an alert by neither place, and an unseal by both at its destination", () => {
    expect(passes("EQ_readPoint=urn:tracegate:facility:GATE-1", alerted)).toBe(false);
    expect(passes("EQ_bizLocation=urn:tracegate:facility:GATE-1", alerted)).toBe(false);
    expect(passes("MATCH_epcClass=urn:tracegate:lot:LOT-T", alerted)).toBe(true);
    expect(passes("EQ_readPoint=urn:tracegate:facility:WH-1&EQ_bizLocation=urn:tracegate:facility:WH-1", unsealed)).toBe(true);
    expect(passes("EQ_readPoint=urn:tracegate:facility:GATE-1", unsealed)).toBe(false);
  });
});
