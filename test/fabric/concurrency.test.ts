/**
 * Two transitions of one lot endorsed against the same state: ordering lets the first commit and
 * invalidates the second with MVCC_READ_CONFLICT, leaving the first one's state and event alone.
 * Transitions of unrelated lots never conflict (one key per lot, no shared counter). A range read of
 * the document id index is invalidated by an anchor of that id committed before it (PHANTOM_READ_CONFLICT).
 */
import { peer as protos } from "@hyperledger/fabric-protos";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeJson, encodeJson, ledgerEventShape } from "../../chaincode/src/codec.js";
import { documentHash, type Action, type Actor } from "../../domain/index.js";
import { FabricConformanceLedger } from "../conformance/fabric-ledger.js";
import { actionVector } from "../conformance/vectors.js";
import { FabricNetwork } from "../../scripts/harness/fabric/network.js";

const Code = protos.TxValidationCode;
const officer: Actor = { org: "VNCUSTOMS", role: "OFFICER" };

/** A vector whose setup and first steps (declare, arrive, hold of lot AP-FAB-1) the tests start from. */
const vector = actionVector("customs holds an arrived lot with a reason and unhold returns it to ARRIVED");

describe("concurrent transactions on the in-process Fabric peer", () => {
  let network: FabricNetwork;
  let ledger: FabricConformanceLedger;

  beforeAll(async () => {
    network = await FabricNetwork.start();
  });

  /** The vector's setup, its lot AP-FAB-1 declared and arrived at the border gate. */
  async function arrivedLot(): Promise<bigint> {
    ledger = new FabricConformanceLedger(network);
    await ledger.register(vector.organisations, vector.facilities);
    for (const { actor, action, time } of [...vector.setup, ...vector.steps.slice(0, 2)]) await ledger.submit(actor, action, time);
    return vector.steps[1]!.time;
  }

  const endorse = (actor: Actor, action: Action, time: bigint) => network.client.endorse(network.identityOf(actor), "Submit", [encodeJson(action)], time);

  it("commits the first of two transitions of one lot and refuses the second with MVCC_READ_CONFLICT", async () => {
    const time = await arrivedLot();
    const [hold, clear] = await Promise.all([
      endorse(officer, { type: "hold", lot: "AP-FAB-1", reason: "inspection" }, time + 10n),
      endorse(officer, { type: "clear", lot: "AP-FAB-1", co: null, permit: null }, time + 10n),
    ]);
    const block = network.peer.order([hold.transaction, clear.transaction]);

    expect(block.transactions.map(({ txId, code }) => [txId, code])).toEqual([
      [hold.txId, Code.VALID],
      [clear.txId, Code.MVCC_READ_CONFLICT],
    ]);
    expect(await ledger.lot("AP-FAB-1")).toMatchObject({ state: "HELD", priorState: "ARRIVED" });
    const [held, refused] = block.transactions;
    expect(decodeJson(ledgerEventShape, Buffer.from(held!.event!.getPayload_asU8()).toString())).toMatchObject({ action: "hold" });
    expect(refused!.event).toBeUndefined();
  });

  it("refuses a transition endorsed before another one of its lot committed, in a later block", async () => {
    const time = await arrivedLot();
    const clear = await endorse(officer, { type: "clear", lot: "AP-FAB-1", co: null, permit: null }, time + 10n);
    await network.client.submit(network.identityOf(officer), "Submit", [encodeJson({ type: "hold", lot: "AP-FAB-1", reason: "inspection" })], time + 20n);

    expect(network.peer.order([clear.transaction]).transactions[0]!.code).toBe(Code.MVCC_READ_CONFLICT);
    expect(await ledger.lot("AP-FAB-1")).toMatchObject({ state: "HELD" });
  });

  it("refuses a transaction whose range read of the id index an anchor of that id changed (PHANTOM_READ_CONFLICT)", async () => {
    const time = await arrivedLot();
    const signer: Actor = { org: "AN-PHAT", role: "SIGNER" };
    const anchor = (name: string): Action => ({ type: "anchor", hash: documentHash(name), id: "NEW-DECL", kind: "DECLARATION", cid: "bafkqaaa", subjects: [] });
    // The chaincode's read functions are transactions like any other: submitted, their reads are validated at commit.
    const readIds = (id: string) => network.client.endorse(network.identityOf(officer), "ReadDocumentsWithId", [id], time + 10n);
    const [anchored, readSameId, readOtherId] = await Promise.all([
      endorse(signer, anchor("new declaration"), time + 10n),
      readIds("NEW-DECL"),
      readIds("OTHER-DECL"),
    ]);
    const block = network.peer.order([anchored.transaction, readSameId.transaction, readOtherId.transaction]);

    expect(block.transactions.map(({ code }) => code)).toEqual([Code.VALID, Code.PHANTOM_READ_CONFLICT, Code.VALID]);
  });

  it("commits transitions of unrelated lots endorsed against the same state", async () => {
    const time = await arrivedLot();
    const declare = vector.steps[0]!.action as Extract<Action, { type: "declare" }>;
    const enterprise = vector.steps[0]!.actor;
    const endorsed = await Promise.all([
      endorse(enterprise, { ...declare, lot: "AP-BTN-1" }, time + 10n),
      endorse(enterprise, { ...declare, lot: "AP-POLY-1" }, time + 10n),
      endorse(officer, { type: "hold", lot: "AP-FAB-1", reason: "inspection" }, time + 10n),
    ]);
    const block = network.peer.order(endorsed.map(({ transaction }) => transaction));

    expect(block.transactions.map(({ code }) => code)).toEqual([Code.VALID, Code.VALID, Code.VALID]);
    expect(await ledger.lot("AP-BTN-1")).toMatchObject({ state: "DECLARED" });
    expect(await ledger.lot("AP-POLY-1")).toMatchObject({ state: "DECLARED" });
  });
});
