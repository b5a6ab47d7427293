/**
 * What every Ledger (sdk/ledger.ts) answers, and how: one suite, run against each ledger on its demo
 * network (EvmLedger on the embedded chain, FabricLedger through a Fabric Gateway on 127.0.0.1). The
 * tests run in order on one ledger, each building on the state the previous ones left.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchRefusedError, buildBatch, documentHash, TraceGateError, type CustodyAction, type LedgerEvent } from "../../domain/index.js";
import type { Checkpoint, Ledger, LedgerEntry, SignedTransaction, Submitted } from "../../sdk/ledger.js";
import { anchorAction, ANPHAT, ANPHAT_SIGNER, CUSTOMS, declareAction, VCCI } from "./demo-actions.js";

/** A ledger connected to a demo network, as its identities in every demo organisation and role. */
export interface LedgerUnderTest {
  ledger: Ledger;
  /** The ledger's block height, to see that nothing was sent. */
  height(): Promise<bigint>;
  stop(): Promise<void>;
}

/** Registers the shared suite, then the ledger's own tests (`specific`), which run on the same ledger after it. */
export function describeLedger<T extends LedgerUnderTest>(name: string, start: () => Promise<T>, specific?: (subject: () => T) => void): void {
  describe(name, () => {
    let subject: T;
    let ledger: Ledger;
    beforeAll(async () => {
      subject = await start();
      ledger = subject.ledger;
    });
    afterAll(() => subject?.stop());

    const transaction = ({ tx, block, time }: Submitted) => ({ tx, block, time });
    /** Every submission of the suite, to find them in the event stream. */
    const submissions: Submitted[] = [];
    const submit = async (...args: Parameters<Ledger["submit"]>) => {
      const submitted = await ledger.submit(...args);
      submissions.push(submitted);
      return submitted;
    };

    it("submits an action and returns its domain event, transaction, block and ledger time", async () => {
      const before = await subject.height();
      const submitted = await submit(VCCI, anchorAction("co-1", "CO", ["LOT-A"]));
      expect(submitted.event).toMatchObject({ type: "documentAnchored", time: submitted.time });
      expect(submitted.tx).toMatch(/^(0x)?[0-9a-f]{64}$/);
      expect(submitted.block).toBeGreaterThanOrEqual(before);
      expect(submitted.time).toBeGreaterThan(0n);
      const document = await ledger.document(documentHash("co-1"));
      expect(document).toMatchObject({ id: "CO-1", kind: "CO", issuer: "VCCI-HCM", subjects: ["LOT-A"], status: "VALID", version: 1, revocation: null });
      expect(document!.anchoredIn).toEqual(transaction(submitted));
    });

    it("reads the registry, and answers nothing for what is not there or is malformed", async () => {
      expect(await ledger.organisation("VCCI-HCM")).toEqual({ id: "VCCI-HCM", kind: "ISSUER" });
      expect(await ledger.facility("VNSGN-CATLAI")).toEqual({ id: "VNSGN-CATLAI", kind: "BORDER_GATE", operator: "VNCUSTOMS" });
      expect(await ledger.organisation("NOBODY")).toBeUndefined();
      expect(await ledger.lot("NO-SUCH-LOT")).toBeUndefined();
      expect(await ledger.lot("has space")).toBeUndefined();
      expect(await ledger.document(documentHash("never anchored"))).toBeUndefined();
      expect(await ledger.document("0x12")).toBeUndefined();
      expect(await ledger.documentsWithId("has space")).toEqual([]);
      expect(await ledger.batch(documentHash("no batch"))).toBeUndefined();
    });

    it("throws the rules' refusal as a TraceGateError, and submits the next action", async () => {
      await expect(ledger.submit(ANPHAT_SIGNER, anchorAction("co-by-enterprise", "CO"))).rejects.toMatchObject({ code: "ISSUER_NOT_ENTITLED" });
      await expect(submit(ANPHAT_SIGNER, anchorAction("decl-after-refusal", "DECLARATION"))).resolves.toBeDefined();
    });

    it("validates the arguments before sending anything", async () => {
      const height = await subject.height();
      const error = await ledger.submit(CUSTOMS, { type: "hold", lot: "has a space", reason: "x" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TraceGateError);
      expect((error as TraceGateError).code).toBe("INVALID_ARGUMENT");
      expect(await subject.height()).toBe(height);
    });

    it("keeps many submissions in flight, ordering the actions on each lot", async () => {
      const lots = ["P-1", "P-2", "P-3", "P-4"];
      await Promise.all(lots.map((lot) => submit(ANPHAT_SIGNER, anchorAction(`decl-${lot}`, "DECLARATION", [lot]))));
      const flows = lots.map((lot) =>
        Promise.all([
          submit(ANPHAT, declareAction(lot, `decl-${lot}`)),
          submit(CUSTOMS, { type: "arrive", lot, facility: "VNSGN-CATLAI" }),
          submit(CUSTOMS, {
            type: "split",
            lot,
            parts: [
              { lot: `${lot}a`, quantity: 400n },
              { lot: `${lot}b`, quantity: 600n },
            ],
          }),
        ]),
      );
      const anchors = Array.from({ length: 20 }, (_, index) => submit(VCCI, anchorAction(`bulk-${index}`, "CO")));
      await Promise.all([...flows, ...anchors]);
      expect(await ledger.lot("P-3b")).toMatchObject({ quantity: 600n, state: "ARRIVED", location: "VNSGN-CATLAI" });
      expect(await ledger.lot("P-3")).toMatchObject({ state: "SPLIT" });
    });

    it("records amendments and revocations, with the revoking transaction and its reason, and finds documents by id", async () => {
      const first = await submit(ANPHAT_SIGNER, anchorAction("decl-1", "DECLARATION", ["H-1"]));
      const amended = await submit(ANPHAT_SIGNER, {
        type: "supersede",
        previous: documentHash("decl-1"),
        hash: documentHash("decl-1b"),
        id: "DECL-1",
        cid: "bafkqaaa",
        subjects: ["H-1"],
      });
      await submit(VCCI, anchorAction("co-revoked", "CO"));
      const revoked = await submit(VCCI, { type: "revoke", hash: documentHash("co-revoked"), reason: "issued in error" });

      expect(await ledger.document(documentHash("decl-1"))).toMatchObject({
        status: "SUPERSEDED",
        supersededBy: documentHash("decl-1b"),
        anchoredIn: transaction(first),
      });
      expect(await ledger.document(documentHash("decl-1b"))).toMatchObject({
        version: 2,
        supersedes: documentHash("decl-1"),
        anchoredIn: transaction(amended),
      });
      expect(await ledger.document(documentHash("co-revoked"))).toMatchObject({
        status: "REVOKED",
        revocation: { reason: "issued in error", revokedIn: transaction(revoked) },
      });
      const withId = await ledger.documentsWithId("DECL-1");
      expect(withId.map(({ hash, version, anchoredIn }) => [hash, version, anchoredIn])).toEqual([
        [documentHash("decl-1"), 1, transaction(first)],
        [documentHash("decl-1b"), 2, transaction(amended)],
      ]);
    });

    it("anchors a batch and revokes one of its documents, with the reason and the revoking transaction", async () => {
      const [kept, withdrawn] = [documentHash("batch-co-1"), documentHash("batch-co-2")];
      const { root, proofs } = buildBatch([kept, withdrawn]);
      const anchored = await submit(VCCI, { type: "anchorBatch", root, kind: "CO", count: 2 });
      const revoked = await submit(VCCI, { type: "revokeBatchMember", root, leaf: withdrawn, proof: proofs[1]!, reason: "wrong consignee" });

      expect(await ledger.batch(root)).toEqual({
        root,
        kind: "CO",
        issuer: "VCCI-HCM",
        count: 2,
        anchoredAt: anchored.time,
        anchoredIn: transaction(anchored),
      });
      expect(await ledger.batchMemberRevocation(root, withdrawn)).toEqual({ reason: "wrong consignee", revokedIn: transaction(revoked) });
      expect(await ledger.isBatchMemberRevoked(root, withdrawn)).toBe(true);
      expect(await ledger.batchMemberRevocation(root, kept)).toBeUndefined();
      expect(await ledger.isBatchMemberRevoked(root, kept)).toBe(false);
    });

    it("streams every accepted action's event, with its transaction, from the start or after a checkpoint", async () => {
      const all: LedgerEntry[] = [];
      for await (const entry of ledger.events()) all.push(entry);
      expect(all.map(({ tx }) => tx).sort()).toEqual(submissions.map(({ tx }) => tx).sort());
      const positions = all.map(({ checkpoint }) => checkpoint);
      expect(positions.slice(1).every((position, index) => isAfter(position, positions[index]!))).toBe(true);
      for (const submitted of submissions) expect(all.find(({ tx }) => tx === submitted.tx)).toMatchObject(submitted);
      expect(all.filter(({ event }) => event.type === "custody")).toHaveLength(12);

      const rest: LedgerEvent[] = [];
      for await (const entry of ledger.events(all[9]!.checkpoint)) rest.push(entry.event);
      expect(rest).toEqual(all.slice(10).map(({ event }) => event));
    });

    it("submits custody actions as one atomic batch, all in one transaction, or none, naming the refused action", async () => {
      await ledger.submit(ANPHAT_SIGNER, anchorAction("decl-batch", "DECLARATION", ["B-1", "B-2"]));
      let before: Checkpoint | undefined;
      for await (const { checkpoint } of ledger.events()) before = checkpoint;
      const declared = await ledger.submitBatch(ANPHAT, [declareAction("B-1", "decl-batch"), declareAction("B-2", "decl-batch")] as CustodyAction[]);
      const moved = await ledger.submitBatch(CUSTOMS, [
        { type: "arrive", lot: "B-1", facility: "VNSGN-CATLAI" },
        { type: "hold", lot: "B-1", reason: "kiểm tra" },
        { type: "unhold", lot: "B-1" },
      ]);
      const summary = (events: LedgerEvent[]) =>
        events.map((event) => event.type === "custody" && [event.action, event.transitions[0]!.lot.id, event.transitions[0]!.lot.state]);
      expect(summary(declared.events)).toEqual([
        ["declare", "B-1", "DECLARED"],
        ["declare", "B-2", "DECLARED"],
      ]);
      expect(summary(moved.events)).toEqual([
        ["arrive", "B-1", "ARRIVED"],
        ["hold", "B-1", "HELD"],
        ["unhold", "B-1", "ARRIVED"],
      ]);
      expect(moved.events.every((event) => event.time === moved.time)).toBe(true);
      expect(await ledger.lot("B-1")).toMatchObject({ state: "ARRIVED", priorState: "NONE" });

      const refused = await ledger
        .submitBatch(CUSTOMS, [
          { type: "arrive", lot: "B-2", facility: "VNSGN-CATLAI" },
          { type: "release", lot: "B-2" },
        ])
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BatchRefusedError);
      expect(refused).toMatchObject({ index: 1, code: "ILLEGAL_TRANSITION" });
      const height = await subject.height();
      const malformed = await ledger
        .submitBatch(CUSTOMS, [
          { type: "arrive", lot: "B-2", facility: "VNSGN-CATLAI" },
          { type: "hold", lot: "B-2", reason: "" },
        ])
        .catch((e: unknown) => e);
      expect(malformed).toMatchObject({ index: 1, code: "REASON_REQUIRED" });
      await expect(ledger.submitBatch(CUSTOMS, [])).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
      expect(await subject.height()).toBe(height);
      expect(await ledger.lot("B-2")).toMatchObject({ state: "DECLARED" });

      // The stream gives each of a batch's events its own checkpoint, all with the batch's transaction.
      const streamed: LedgerEntry[] = [];
      for await (const entry of ledger.events(before)) streamed.push(entry);
      expect(streamed.map(({ tx, event }) => [tx, event])).toEqual([
        ...declared.events.map((event) => [declared.tx, event]),
        ...moved.events.map((event) => [moved.tx, event]),
      ]);
      const resumed: LedgerEntry[] = [];
      for await (const entry of ledger.events(streamed[2]!.checkpoint)) resumed.push(entry);
      expect(resumed.map(({ event }) => event)).toEqual(moved.events.slice(1));
    });

    it("recovers a batch its sender stopped waiting for: found once applied, sent once when it never left", async () => {
      await ledger.submit(ANPHAT_SIGNER, anchorAction("decl-recover", "DECLARATION", ["R-1", "R-2"]));
      // Applied, the sender stopped before it heard: recovery finds it, and applies nothing again.
      const sent: SignedTransaction[] = [];
      const applied = await ledger.submitBatch(ANPHAT, [declareAction("R-1", "decl-recover")] as CustodyAction[], {
        onSigned: async (tx) => void sent.push(tx),
      });
      expect(sent.map(({ id }) => id)).toEqual([applied.tx]);
      const found = await ledger.recoverBatch(ANPHAT, sent, 1);
      expect(found).toMatchObject({ tx: applied.tx, block: applied.block, events: applied.events });
      expect(await ledger.lot("R-1")).toMatchObject({ state: "DECLARED" });

      // Signed, then the sender stopped before sending: recovery sends it, once.
      let signed: SignedTransaction | undefined;
      const stopped = new Error("stopped before sending");
      const height = await subject.height();
      await expect(
        ledger.submitBatch(ANPHAT, [declareAction("R-2", "decl-recover")] as CustodyAction[], {
          onSigned: async (tx) => {
            signed = tx;
            throw stopped;
          },
        }),
      ).rejects.toBe(stopped);
      expect(await subject.height()).toBe(height);
      expect(await ledger.lot("R-2")).toBeUndefined();
      const recovered = await ledger.recoverBatch(ANPHAT, [signed!], 1);
      expect(recovered?.tx).toBe(signed!.id);
      expect(recovered?.events.map((event) => event.type === "custody" && event.transitions[0]!.lot.id)).toEqual(["R-2"]);
      const again = await ledger.recoverBatch(ANPHAT, [signed!], 1);
      expect(again?.tx).toBe(signed!.id);
      let declarations = 0;
      for await (const { event } of ledger.events()) if (event.type === "custody" && event.transitions[0]!.lot.id === "R-2") declarations += 1;
      expect(declarations).toBe(1);
    });

    specific?.(() => subject);
  });
}

function isAfter(position: Checkpoint, previous: Checkpoint): boolean {
  return position.block > previous.block || (position.block === previous.block && position.index > previous.index);
}
