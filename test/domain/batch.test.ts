/**
 * Atomic batches in the domain: the batch's own shape (no index: no action is at fault), a refusal
 * naming the first refused action, and nothing written by a refused batch. The vectors in
 * test/vectors/atomic-batches.json state the rules for every ledger; this covers what they cannot say.
 */
import { describe, expect, it } from "vitest";
import {
  BatchRefusedError,
  decideBatch,
  documentHash,
  InMemoryLedger,
  MAX_BATCH_ACTIONS,
  TraceGateError,
  type Actor,
  type CustodyAction,
  type Hash,
} from "../../domain/index.js";

const officer: Actor = { org: "VNCUSTOMS", role: "OFFICER" };
const arrive: CustodyAction = { type: "arrive", lot: "LOT-1", facility: "GATE" };

function ledger(): InMemoryLedger {
  const ledger = new InMemoryLedger();
  ledger.registerOrganisation({ id: "VNCUSTOMS", kind: "CUSTOMS" });
  ledger.registerFacility({ id: "GATE", kind: "BORDER_GATE", operator: "VNCUSTOMS" });
  return ledger;
}

async function refusal(run: Promise<unknown>): Promise<unknown> {
  return run.then(
    () => "accepted",
    (error: unknown) => error,
  );
}

describe("decideBatch", () => {
  it.each([
    ["no action", 0],
    ["more than MAX_BATCH_ACTIONS actions", MAX_BATCH_ACTIONS + 1],
  ])("refuses a batch of %s as INVALID_ARGUMENT without an index", async (_what, size) => {
    const error = await refusal(decideBatch(ledger(), officer, Array(size).fill(arrive), 1n));
    expect(error).toBeInstanceOf(TraceGateError);
    expect(error).not.toBeInstanceOf(BatchRefusedError);
    expect((error as TraceGateError).code).toBe("INVALID_ARGUMENT");
  });

  it("refuses a document action inside a batch, naming its index", async () => {
    const anchor = { type: "revoke", hash: `0x${"1".repeat(64)}` as Hash, reason: "x" } as unknown as CustodyAction;
    const error = await refusal(decideBatch(ledger(), officer, [anchor, arrive], 1n));
    expect(error).toBeInstanceOf(BatchRefusedError);
    expect({ code: (error as BatchRefusedError).code, index: (error as BatchRefusedError).index }).toEqual({ code: "INVALID_ARGUMENT", index: 0 });
  });

  it("names the first refused action's index and keeps its code, details and message", async () => {
    const error = (await refusal(decideBatch(ledger(), officer, [{ type: "hold", lot: "LOT-1", reason: "" }], 1n))) as BatchRefusedError;
    expect(error).toBeInstanceOf(BatchRefusedError);
    expect(error.index).toBe(0);
    expect(error.code).toBe("REASON_REQUIRED");
    expect(error.message).toMatch(/^REASON_REQUIRED: batch action 0: .+ \(state the reason for this action\)$/);
    expect(error.message).not.toMatch(/REASON_REQUIRED.*REASON_REQUIRED/);
  });

  it("decides over the view without writing to it, and a refused batch leaves the ledger as it was", async () => {
    const view = ledger();
    view.registerOrganisation({ id: "AN-PHAT", kind: "ENTERPRISE" });
    const declaration = documentHash("tờ khai 1");
    await view.submit(
      { org: "AN-PHAT", role: "SIGNER" },
      { type: "anchor", hash: declaration, id: "D-1", kind: "DECLARATION", cid: "bafy-d1", subjects: [] },
      1n,
    );
    const declare: CustodyAction = {
      type: "declare",
      lot: "LOT-1",
      goods: { material: "M", hsCode: "1", unit: "PCE", quantity: 1n },
      direction: "IMPORT",
      preferenceClaimed: false,
      permitRequired: false,
      declaration,
    };
    const enterprise: Actor = { org: "AN-PHAT", role: "OPERATOR" };
    const decided = await decideBatch(view, enterprise, [declare, { ...declare, lot: "LOT-2" }], 2n);
    expect(decided.lots.map((lot) => [lot.id, lot.state])).toEqual([
      ["LOT-1", "DECLARED"],
      ["LOT-2", "DECLARED"],
    ]);
    expect(await view.lot("LOT-1")).toBeUndefined();

    const events = view.events.length;
    await expect(view.submitBatch(enterprise, [{ ...declare, lot: "LOT-3" }, declare, declare], 3n)).rejects.toMatchObject({
      index: 2,
      code: "ILLEGAL_TRANSITION",
    });
    expect([await view.lot("LOT-1"), await view.lot("LOT-3"), view.events.length]).toEqual([undefined, undefined, events]);
  });
});
