/** Stored documents at /ipfs/<cid>: the exact bytes, or a CAR that verifies against the CID. */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CarReader } from "@ipld/car/reader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_AUDIENCE, DEV_TOKEN_ISSUER, devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { startApiServer, type ApiServer } from "../../api/server.js";
import { openStore } from "../../indexer/store/open.js";
import type { Store } from "../../indexer/store/engine.js";
import { EmbeddedDocumentStore } from "../../sdk/documents/embedded-store.js";

let directory: string;
let documents: EmbeddedDocumentStore;
let store: Store;
let server: ApiServer;
/** Three 256 KiB leaves and a root: a file a single block cannot hold. */
const file = randomBytes(600 * 1024);
let cid: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "tracegate-gateway-"));
  documents = await EmbeddedDocumentStore.open(join(directory, "documents"));
  ({ cid } = await documents.put(file));
  store = await openStore(join(directory, "index.sqlite"));
  const issuer = await devTokenIssuer();
  server = await startApiServer({ store, documents, tokens: { keys: issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE } });
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  await documents?.close();
  await rm(directory, { recursive: true, force: true });
});

describe("GET /ipfs/<cid>", () => {
  it("serves the stored bytes, cacheable for ever", async () => {
    const response = await fetch(`${server.url}/ipfs/${cid}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toContain("immutable");
    expect(response.headers.get("x-ipfs-path")).toBe(`/ipfs/${cid}`);
    expect(Buffer.from(await response.arrayBuffer()).equals(file)).toBe(true);
  });

  it("serves the document's CAR, rooted at the CID, with every block once", async () => {
    for (const request of [
      fetch(`${server.url}/ipfs/${cid}?format=car`),
      fetch(`${server.url}/ipfs/${cid}`, { headers: { accept: "application/vnd.ipld.car" } }),
    ]) {
      const response = await request;
      expect(response.headers.get("content-type")).toBe("application/vnd.ipld.car; version=1");
      const car = await CarReader.fromBytes(new Uint8Array(await response.arrayBuffer()));
      expect((await car.getRoots()).map(String)).toEqual([cid]);
      const blocks = [];
      for await (const block of car.blocks()) blocks.push(block.cid.toString());
      expect(blocks).toHaveLength(4);
      expect(new Set(blocks).size).toBe(4);
    }
  });

  it("answers HEAD with the headers only", async () => {
    const response = await fetch(`${server.url}/ipfs/${cid}`, { method: "HEAD" });
    expect([response.status, response.headers.get("content-length"), (await response.arrayBuffer()).byteLength]).toEqual([200, String(file.length), 0]);
  });

  it("says what is wrong with a request it cannot serve", async () => {
    const other = await EmbeddedDocumentStore.open(join(directory, "other"));
    const { cid: missing } = await other.put(new TextEncoder().encode("never stored in the served store"));
    await other.close();
    const answers = await Promise.all([
      fetch(`${server.url}/ipfs/not-a-cid`),
      fetch(`${server.url}/ipfs/${missing}`),
      fetch(`${server.url}/ipfs/${missing}?format=car`),
      fetch(`${server.url}/ipfs/${cid}`, { method: "POST", body: "x" }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([400, 404, 404, 405]);
    expect(await answers[1]!.text()).toMatch(/^NOT_FOUND: .*check the CID/);
  });
});
