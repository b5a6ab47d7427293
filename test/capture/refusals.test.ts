/**
 * A refusal tells the member that sent the action nothing of a lot it may not see, not even that it
 * exists (api/capture/refusals.ts): one fixed refusal, the same as for a lot that does not exist.
 * Refusals about the request's own fields, and about lots the caller may see, pass whole.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES, TraceGateError, type CustodyAction, type Lot } from "../../domain/index.js";
import { refusalShownTo } from "../../api/capture/refusals.js";
import type { Store } from "../../indexer/store/engine.js";
import { lotColumns } from "../../indexer/store/lot-columns.js";
import { openStore } from "../../indexer/store/open.js";

const lot = (id: string, owner: string, custodian: string): Lot => ({
  id,
  material: "COTTON-YARN",
  hsCode: "520512",
  unit: "KGM",
  quantity: 1000n,
  owner,
  custodian,
  location: "VNSGN-CATLAI",
  state: "ARRIVED",
  priorState: "NONE",
  direction: "IMPORT",
  preferenceClaimed: true,
  permitRequired: false,
  declaration: null,
  seal: "",
  destination: "",
  deadline: 0n,
});

describe("refusals shown to the organisation that acted", () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(":memory:");
    await store.db
      .insertInto("organisations")
      .values([
        { id: "VNCUSTOMS", kind: "CUSTOMS", event_id: 1n },
        { id: "AN-PHAT", kind: "ENTERPRISE", event_id: 2n },
        { id: "SAIGON-TERMINAL", kind: "WAREHOUSE", event_id: 3n },
      ])
      .execute();
    await store.db
      .insertInto("lots")
      .values([
        { id: "MINE", ...lotColumns(lot("MINE", "AN-PHAT", "VNCUSTOMS")), last_event: 4n, stage_since: 0n, stage_event: 4n },
        { id: "KEPT", ...lotColumns(lot("KEPT", "AN-PHAT", "SAIGON-TERMINAL")), last_event: 5n, stage_since: 0n, stage_event: 5n },
      ])
      .execute();
  });
  afterAll(() => store?.close());

  const store_ = (id: string): CustodyAction => ({ type: "store", lot: id, facility: "VNSGN-BONDED-1" });
  const leaky = (id: string) =>
    new TraceGateError("ILLEGAL_TRANSITION", `lot ${id} is ARRIVED; this action needs CLEARED (holds 1000 KGM of COTTON-YARN)`, { lot: id, state: "ARRIVED" });
  const warehouse = { org: "SAIGON-TERMINAL", role: "OPERATOR" } as const;

  it("withholds the reason for a lot the caller may not see: the answer for a lot that does not exist", async () => {
    const shown = await refusalShownTo(store.db, warehouse, store_("MINE"), leaky("MINE"));
    const unknown = await refusalShownTo(
      store.db,
      warehouse,
      store_("NO-SUCH-LOT"),
      new TraceGateError("UNKNOWN_LOT", "unknown lot NO-SUCH-LOT", { lot: "NO-SUCH-LOT" }),
    );
    expect([shown.code, shown.details, shown.message]).toEqual([unknown.code, unknown.details, unknown.message]);
    expect(shown.code).toBe("NOT_AUTHORIZED");
    expect(shown.message).not.toMatch(/MINE|ARRIVED|CLEARED|1000|COTTON/);
  });

  it("tells whoever creates a lot whether its id is taken, and nothing of a taken id's lot", async () => {
    const declare = (id: string): CustodyAction => ({
      type: "declare",
      lot: id,
      goods: { material: "COTTON-YARN", hsCode: "520512", unit: "KGM", quantity: 1000n },
      direction: "IMPORT",
      preferenceClaimed: false,
      permitRequired: false,
      declaration: `0x${"ab".repeat(32)}`,
    });
    const free = new TraceGateError("UNKNOWN_DOCUMENT", "no declaration 0xabab… is anchored");
    expect(await refusalShownTo(store.db, warehouse, declare("FREE-ID"), free)).toBe(free);
    const taken = await refusalShownTo(store.db, warehouse, declare("MINE"), new TraceGateError("LOT_EXISTS", "lot MINE exists, ARRIVED", { lot: "MINE" }));
    expect(taken.code).toBe("NOT_AUTHORIZED");
    expect(taken.message).not.toMatch(/ARRIVED/);
  });

  it("treats a lot the index does not hold yet as unseen, but by customs, who sees every lot", async () => {
    const shown = await refusalShownTo(store.db, warehouse, store_("NOT-INDEXED"), leaky("NOT-INDEXED"));
    expect(shown.message).not.toMatch(/ARRIVED|1000/);
    const refusal = leaky("NOT-INDEXED");
    expect(await refusalShownTo(store.db, { org: "VNCUSTOMS", role: "OFFICER" }, store_("NOT-INDEXED"), refusal)).toBe(refusal);
  });

  it("passes the whole refusal to those who may see the lot: its custodian, its owner, customs", async () => {
    for (const [actor, id] of [
      [warehouse, "KEPT"],
      [{ org: "AN-PHAT", role: "OPERATOR" }, "MINE"],
      [{ org: "VNCUSTOMS", role: "OFFICER" }, "MINE"],
    ] as const) {
      const refusal = leaky(id);
      expect(await refusalShownTo(store.db, actor, store_(id), refusal)).toBe(refusal);
    }
  });

  it("passes refusals about the request's own fields whole, and withholds every other code, new ones included", async () => {
    const passed: string[] = [];
    for (const code of ERROR_CODES) {
      const refusal = new TraceGateError(code, "lot MINE is ARRIVED", { lot: "MINE" });
      if ((await refusalShownTo(store.db, warehouse, store_("MINE"), refusal)) === refusal) passed.push(code);
    }
    expect(passed).not.toContain("ILLEGAL_TRANSITION");
    expect(passed).not.toContain("GOODS_MISMATCH");
    expect(passed).not.toContain("QUANTITY_UNAVAILABLE");
    expect(passed).not.toContain("DOCUMENT_REQUIRED");
    expect(passed).not.toContain("UNKNOWN_LOT");
    expect(passed).not.toContain("LOT_EXISTS");
    expect(passed.sort()).toEqual(["INVALID_ARGUMENT", "INVALID_QUANTITY", "REASON_REQUIRED", "TEXT_TOO_LONG"]);
  });
});
