import { readFile, rm } from "node:fs/promises";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash } from "../../domain/hashing.js";
import { EmbeddedDocumentStore } from "../../sdk/documents/embedded-store.js";
import { EncryptedDocumentStore } from "../../sdk/documents/encrypted-store.js";
import { generateOrganisationKeyPair } from "../../sdk/documents/keys.js";
import { KuboDocumentStore } from "../../sdk/documents/kubo-store.js";
import { blockFiles, temporaryDirectory } from "./block-directory.js";
import { startKuboStandIn } from "./kubo-rpc-stand-in.js";
import { documentBytes, expectSameBytes } from "./store-contract.js";

const customs = { orgId: "CUSTOMS-HQ", ...generateOrganisationKeyPair() };
const issuer = { orgId: "CO-ISSUER-VCCI", ...generateOrganisationKeyPair() };
const outsider = { orgId: "ACME-TEXTILES", ...generateOrganisationKeyPair() };
const recipients = [customs, issuer];

/** A plaintext made of one marker repeated: any stored block holding plaintext contains the marker. */
function markedPlaintext(length: number): Uint8Array {
  return new Uint8Array(Buffer.alloc(length, "TRACEGATE-PLAINTEXT-MARKER|"));
}
const MARKER = Buffer.from("TRACEGATE-PLAINTEXT-MARKER|");

async function blocksContaining(directory: string, needle: Buffer): Promise<number> {
  let found = 0;
  for (const file of await blockFiles(directory)) if ((await readFile(file)).includes(needle)) found++;
  return found;
}

describe("EncryptedDocumentStore over the embedded store", () => {
  let directory: string;
  let blocks: EmbeddedDocumentStore;
  let documents: EncryptedDocumentStore;

  beforeAll(async () => {
    directory = await temporaryDirectory();
    blocks = await EmbeddedDocumentStore.open(directory);
    documents = new EncryptedDocumentStore(blocks);
  });
  afterAll(async () => {
    await blocks.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("anchors the plaintext's hash, stores only the envelope, and gives the plaintext back to recipients", async () => {
    await fc.assert(
      fc.asyncProperty(documentBytes, async (plaintext) => {
        const stored = await documents.putDocument(plaintext, recipients);
        expect(stored.hash).toBe(documentHash(plaintext));
        expect(stored.size).toBe(plaintext.length);
        const envelope = await blocks.get(stored.cid);
        expect(Buffer.from(envelope.subarray(0, 4)).toString("latin1")).toBe("TGDE");
        for (const reader of recipients) {
          const opened = await documents.getDocument(stored.cid, reader.orgId, reader.privateKey, stored.hash);
          expectSameBytes(opened, plaintext);
        }
      }),
      { numRuns: 20 },
    );
  });

  it("refuses a reader the document was not shared with", async () => {
    const { cid } = await documents.putDocument(new TextEncoder().encode("permit"), recipients);
    await expect(documents.getDocument(cid, outsider.orgId, outsider.privateKey)).rejects.toMatchObject({
      code: "NOT_A_RECIPIENT",
    });
  });

  it("reports a document that is not the anchored one as INTEGRITY", async () => {
    const { cid } = await documents.putDocument(new TextEncoder().encode("declaration v2"), recipients);
    const anchored = documentHash("declaration v1");
    await expect(documents.getDocument(cid, customs.orgId, customs.privateKey, anchored)).rejects.toMatchObject({
      code: "INTEGRITY",
    });
  });

  it.each([1_000, 262_143, 262_144, 262_145, 700_000])("never writes plaintext to disk (%i bytes), where an unencrypted put would", async (length) => {
    const plaintext = markedPlaintext(length);
    await documents.putDocument(plaintext, recipients);
    expect(await blocksContaining(directory, MARKER)).toBe(0);

    const control = await temporaryDirectory();
    const plain = await EmbeddedDocumentStore.open(control);
    try {
      await plain.put(plaintext);
      expect(await blocksContaining(control, MARKER)).toBeGreaterThan(0);
    } finally {
      await plain.close();
      await rm(control, { recursive: true, force: true });
    }
  });
});

describe("EncryptedDocumentStore over Kubo", () => {
  it("stores and reads envelopes through the RPC API alike", async () => {
    const node = await startKuboStandIn();
    try {
      const documents = new EncryptedDocumentStore(new KuboDocumentStore({ url: node.url }));
      const plaintext = markedPlaintext(300_000);
      const stored = await documents.putDocument(plaintext, recipients);
      expect(node.pins.has(stored.cid)).toBe(true);
      expectSameBytes(await documents.getDocument(stored.cid, issuer.orgId, issuer.privateKey, stored.hash), plaintext);
    } finally {
      await node.close();
    }
  });
});
