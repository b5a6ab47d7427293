import { rm } from "node:fs/promises";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cidOf } from "../../sdk/documents/cids.js";
import { EmbeddedDocumentStore } from "../../sdk/documents/embedded-store.js";
import { KuboDocumentStore } from "../../sdk/documents/kubo-store.js";
import { temporaryDirectory } from "./block-directory.js";
import { startKuboStandIn, type KuboStandIn } from "./kubo-rpc-stand-in.js";
import { documentBytes, documentStoreContract, expectSameBytes, randomBytesOfLength } from "./store-contract.js";

const FETCH_TIMEOUT_MS = 50;

documentStoreContract("KuboDocumentStore", async () => {
  const node = await startKuboStandIn();
  return { store: new KuboDocumentStore({ url: node.url, fetchTimeoutMs: FETCH_TIMEOUT_MS }), close: node.close };
});

describe("KuboDocumentStore over Kubo's RPC API", () => {
  let node: KuboStandIn;
  let kubo: KuboDocumentStore;
  let embedded: EmbeddedDocumentStore;
  let directory: string;

  beforeAll(async () => {
    node = await startKuboStandIn();
    kubo = new KuboDocumentStore({ url: node.url, fetchTimeoutMs: FETCH_TIMEOUT_MS });
    directory = await temporaryDirectory();
    embedded = await EmbeddedDocumentStore.open(directory);
  });
  afterAll(async () => {
    await node.close();
    await embedded.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("agrees with the embedded store on every CID and byte", async () => {
    await fc.assert(
      fc.asyncProperty(documentBytes, async (bytes) => {
        const { cid } = await kubo.put(bytes);
        expect((await embedded.put(bytes)).cid).toBe(cid);
        expectSameBytes(await kubo.get(cid), await embedded.get(cid));
      }),
      { numRuns: 30 },
    );
  });

  it("adds with Kubo's CIDv1 raw-leaf settings and pins, over POST only", async () => {
    const { cid } = await kubo.put(new TextEncoder().encode("settings"));
    const add = node.requests.findLast((request) => request.path === "add")!;
    expect(Object.fromEntries(add.params)).toMatchObject({
      "cid-version": "1",
      "raw-leaves": "true",
      chunker: "size-262144",
      hash: "sha2-256",
      pin: "true",
    });
    expect(node.pins.has(cid)).toBe(true);
    expect(new Set(node.requests.map((request) => request.method))).toEqual(new Set(["POST"]));
  });

  it("asks only the node's own blockstore for has()", async () => {
    const absent = (await cidOf(new TextEncoder().encode("absent"))).toString();
    expect(await kubo.has(absent)).toBe(false);
    expect(node.requests.at(-1)).toMatchObject({ path: "block/stat" });
    expect(node.requests.at(-1)!.params.get("offline")).toBe("true");
  });

  it("unpins idempotently and re-pins; pinning a document nobody has is NOT_FOUND", async () => {
    const { cid } = await kubo.put(new TextEncoder().encode("pinned"));
    await kubo.unpin(cid);
    expect(node.pins.has(cid)).toBe(false);
    await kubo.unpin(cid);
    await kubo.pin(cid);
    expect(node.pins.has(cid)).toBe(true);
    const absent = (await cidOf(new TextEncoder().encode("nobody has this"))).toString();
    await expect(kubo.pin(absent)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses a node whose import settings give other CIDs (CID_MISMATCH)", async () => {
    const misconfigured = await startKuboStandIn({ fileMaxLinks: 2 }); // like Import.UnixFSFileMaxLinks = 2
    try {
      const store = new KuboDocumentStore({ url: misconfigured.url });
      await expect(store.put(randomBytesOfLength(3 * 262_144))).rejects.toMatchObject({ code: "CID_MISMATCH" });
    } finally {
      await misconfigured.close();
    }
  });

  it("reports an unreachable node as STORE_UNAVAILABLE", async () => {
    const gone = await startKuboStandIn();
    await gone.close();
    const store = new KuboDocumentStore({ url: gone.url });
    const cid = (await cidOf(new Uint8Array(1))).toString();
    await expect(store.get(cid)).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
  });
});

describe("the Kubo stand-in keeps Kubo's wire format", () => {
  it("answers GET with 405 and unknown commands with 404", async () => {
    const node = await startKuboStandIn();
    try {
      expect((await fetch(`${node.url}/api/v0/cat?arg=x`)).status).toBe(405);
      expect((await fetch(`${node.url}/api/v0/nope`, { method: "POST" })).status).toBe(404);
    } finally {
      await node.close();
    }
  });
});
