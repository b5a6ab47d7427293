import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmbeddedDocumentStore } from "../../sdk/documents/embedded-store.js";
import { open, seal } from "../../sdk/documents/envelope.js";
import { generateOrganisationKeyPair, x25519PrivateKey, x25519PublicKey } from "../../sdk/documents/keys.js";

const DOCUMENT_BYTES = 2048;
const RECIPIENTS = 3; // issuer, customs, the enterprise: a typical certificate of origin
const SECONDS_PER_FIGURE = 2;

/**
 * Throughput of the document layer, one operation at a time: embedded-store puts and gets of 2 KiB
 * documents (blocks on the local disk), and sealing / opening 2 KiB envelopes with keys loaded once
 * (parsing a PEM costs ~0.1 ms for a public key and ~0.45 ms for a private key on top).
 */
export async function benchDocuments(): Promise<Record<string, number>> {
  const directory = await mkdtemp(join(tmpdir(), "tracegate-bench-documents-"));
  const store = await EmbeddedDocumentStore.open(directory);
  try {
    const cids: string[] = [];
    const putPerSecond = await perSecond("embedded put, 2 KiB", async () => {
      cids.push((await store.put(randomBytes(DOCUMENT_BYTES))).cid);
    });
    let next = 0;
    const getPerSecond = await perSecond("embedded get, 2 KiB", async () => {
      await store.get(cids[next++ % cids.length]!);
    });

    const orgs = Array.from({ length: RECIPIENTS }, (_, index) => {
      const { publicKey, privateKey } = generateOrganisationKeyPair();
      return { orgId: `ORG-${index}`, publicKey: x25519PublicKey(publicKey), privateKey: x25519PrivateKey(privateKey) };
    });
    const plaintext = randomBytes(DOCUMENT_BYTES);
    let envelope = seal(plaintext, orgs);
    const sealPerSecond = await perSecond(`seal, 2 KiB, ${RECIPIENTS} recipients`, async () => {
      envelope = seal(plaintext, orgs);
    });
    const reader = orgs[RECIPIENTS - 1]!;
    const openPerSecond = await perSecond("open, 2 KiB", async () => {
      open(envelope, reader.orgId, reader.privateKey);
    });

    return {
      documents_embedded_put_2KiB_per_s: putPerSecond,
      documents_embedded_get_2KiB_per_s: getPerSecond,
      documents_seal_2KiB_3_recipients_per_s: sealPerSecond,
      documents_open_2KiB_per_s: openPerSecond,
    };
  } finally {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  }
}

/** Runs `operation` back to back for a fixed time and reports completed operations per second. */
async function perSecond(label: string, operation: () => Promise<void>): Promise<number> {
  for (let warmUp = 0; warmUp < 50; warmUp++) await operation();
  const started = performance.now();
  const deadline = started + SECONDS_PER_FIGURE * 1000;
  let count = 0;
  while (performance.now() < deadline) {
    await operation();
    count++;
  }
  const rate = Math.round((count * 1000) / (performance.now() - started));
  process.stderr.write(`documents: ${label}: ${rate}/s\n`);
  return rate;
}
