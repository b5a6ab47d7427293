import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBatch, documentHash, TraceGateError, type Actor, type Hash } from "../../domain/index.js";
import { contractInterface } from "../../sdk/evm/codec.js";
import { EvmChain } from "../../scripts/harness/evm-chain.js";
import { TimedEvmLedger } from "../../scripts/harness/timed-evm-ledger.js";

const START = 1_800_000_000n;
const ISSUER: Actor = { org: "VCCI", role: "SIGNER" };

describe("Merkle batches on chain", () => {
  let chain: EvmChain;
  let ledger: TimedEvmLedger;
  let time = START;
  const documents = Array.from({ length: 7 }, (_, index) => documentHash(`certificate of origin ${index}`));
  const { root, proofs } = buildBatch(documents);

  const view = async (name: string, args: unknown[]) => {
    const registry = contractInterface("TraceGateRegistry");
    const data = await chain.call("TraceGateRegistry", registry.encodeFunctionData(name, args));
    return registry.decodeFunctionResult(name, data)[0];
  };
  const revoke = (leaf: Hash, proof: Hash[], actor = ISSUER) =>
    ledger.submit(actor, { type: "revokeBatchMember", root, leaf, proof, reason: "issued in error" }, (time += 10n));
  const refusal = (action: Promise<unknown>) =>
    action.then(
      () => "accepted",
      (error: unknown) => (error instanceof TraceGateError ? error.code : error),
    );

  beforeAll(async () => {
    chain = await EvmChain.start();
    ledger = new TimedEvmLedger(chain);
    await ledger.register(
      [
        { id: "VCCI", kind: "ISSUER" },
        { id: "OTHER-CO", kind: "ISSUER" },
      ],
      [],
    );
    await ledger.submit(ISSUER, { type: "anchorBatch", root, kind: "CO", count: documents.length }, (time += 10n));
  });
  afterAll(() => chain.stop());

  it("verifies every proof the domain's buildBatch makes, with the domain's leaf encoding", async () => {
    for (const [index, document] of documents.entries()) {
      expect(await view("verifyBatchMember", [root, document, proofs[index]])).toBe(true);
      expect(await view("batchLeaf", [document])).toBe(StandardMerkleTree.of([[document]], ["bytes32"]).leafHash([document]));
    }
  });

  it("rejects a proof of another member, a document outside the batch and an unanchored root", async () => {
    expect(await view("verifyBatchMember", [root, documents[0], proofs[1]])).toBe(false);
    expect(await view("verifyBatchMember", [root, documentHash("not in the batch"), proofs[0]])).toBe(false);
    const single = buildBatch([documents[0]!]);
    expect(single.proofs[0]).toEqual([]);
    expect(await view("verifyBatchMember", [single.root, documents[0], []])).toBe(false);
  });

  it("revokes a member only with its proof, only by the issuer, and only once", async () => {
    expect(await refusal(revoke(documents[2]!, proofs[3]!))).toBe("INVALID_PROOF");
    expect(await refusal(revoke(documents[2]!, proofs[2]!, { org: "OTHER-CO", role: "SIGNER" }))).toBe("NOT_AUTHORIZED");
    expect(await ledger.isBatchMemberRevoked(root, documents[2]!)).toBe(false);

    const event = await revoke(documents[2]!, proofs[2]!);
    expect(event).toEqual({ type: "batchMemberRevoked", root, leaf: documents[2], issuer: "VCCI", kind: "CO", reason: "issued in error", time });
    expect(await ledger.isBatchMemberRevoked(root, documents[2]!)).toBe(true);
    expect(await ledger.isBatchMemberRevoked(root, documents[3]!)).toBe(false);
    expect(await view("verifyBatchMember", [root, documents[2], proofs[2]])).toBe(true);
    expect(await refusal(revoke(documents[2]!, proofs[2]!))).toBe("DOCUMENT_INVALID");
  });

  it("anchors a one-document batch whose root is the leaf, with an empty proof", async () => {
    const single = buildBatch([documentHash("a lone permit")]);
    await ledger.submit(ISSUER, { type: "anchorBatch", root: single.root, kind: "PERMIT", count: 1 }, (time += 10n));
    expect(await view("verifyBatchMember", [single.root, documentHash("a lone permit"), []])).toBe(true);
  });
});
