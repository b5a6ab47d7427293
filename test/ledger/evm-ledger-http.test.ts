import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash } from "../../domain/index.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { LedgerUnavailableError } from "../../sdk/ledger.js";
import { anchorAction, ANPHAT, ANPHAT_SIGNER, CUSTOMS, declareAction, startDemoLedger, VCCI, type DemoLedger } from "./demo-ledger.js";

describe("EvmLedger over HTTP JSON-RPC (the embedded chain served on 127.0.0.1)", () => {
  let demo: DemoLedger;
  beforeAll(async () => {
    demo = await startDemoLedger({ port: 0 });
  });
  afterAll(() => demo.stop());

  it("talks to a real HTTP endpoint", () => {
    expect(demo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("anchors, amends, revokes and reads documents", async () => {
    await demo.ledger.submit(ANPHAT_SIGNER, anchorAction("decl-1", "DECLARATION", ["H-1"]));
    await demo.ledger.submit(ANPHAT_SIGNER, { type: "supersede", previous: documentHash("decl-1"), hash: documentHash("decl-1b"), id: "DECL-1", cid: "bafkqaaa", subjects: ["H-1"] });
    await demo.ledger.submit(VCCI, anchorAction("co-1", "CO"));
    const revoked = await demo.ledger.submit(VCCI, { type: "revoke", hash: documentHash("co-1"), reason: "issued in error" });
    expect(await demo.ledger.document(documentHash("decl-1"))).toMatchObject({ status: "SUPERSEDED", supersededBy: documentHash("decl-1b") });
    expect(await demo.ledger.document(documentHash("decl-1b"))).toMatchObject({ version: 2, supersedes: documentHash("decl-1") });
    expect((await demo.ledger.document(documentHash("co-1")))?.revocation).toEqual({ reason: "issued in error", revokedIn: { tx: revoked.tx, block: revoked.block, time: revoked.time } });
    expect((await demo.ledger.documentsWithId("DECL-1")).map((document) => document.version)).toEqual([1, 2]);
  });

  it("maps reverts to the domain's errors and follows custody over HTTP", async () => {
    await expect(demo.ledger.submit(CUSTOMS, { type: "arrive", lot: "H-1", facility: "VNSGN-CATLAI" })).rejects.toMatchObject({ code: "UNKNOWN_LOT" });
    await demo.ledger.submit(ANPHAT, declareAction("H-1", "decl-1b"));
    await demo.ledger.submit(CUSTOMS, { type: "arrive", lot: "H-1", facility: "VNSGN-CATLAI" });
    await expect(demo.ledger.submit(CUSTOMS, { type: "arrive", lot: "H-1", facility: "VNSGN-CATLAI" })).rejects.toMatchObject({ code: "ILLEGAL_TRANSITION" });
    expect(await demo.ledger.lot("H-1")).toMatchObject({ state: "ARRIVED", custodian: "VNCUSTOMS" });
  });

  it("pipelines sends from one account", async () => {
    const sent = await Promise.all(Array.from({ length: 20 }, (_, index) => demo.ledger.submit(VCCI, anchorAction(`http-bulk-${index}`, "CO"))));
    expect(new Set(sent.map((submitted) => submitted.tx)).size).toBe(20);
  });

  it("says so when the endpoint cannot be reached", async () => {
    const error = await EvmLedger.connect({ endpoint: "http://127.0.0.1:9", addresses: demo.network.chain.addresses }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerUnavailableError);
    expect((error as Error).message).toMatch(/cannot reach the JSON-RPC endpoint http:\/\/127\.0\.0\.1:9/);
  });
});
