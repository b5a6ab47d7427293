/**
 * Reading a document on the product itself (embedded defaults, TRACEGATE_DECRYPT_FOR=VNCUSTOMS): a
 * declaration stored in the product's document store, sealed for its enterprise and customs, anchored
 * on the embedded chain. Customs' key is on the node, so the node decrypts for customs; the enterprise's
 * is not, so its page decrypts in Chromium from <home>/keys/AN-PHAT.private.pem, which no request carries.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devTokenIssuer } from "../../api/auth/dev-tokens.js";
import type { Hash } from "../../domain/index.js";
import { startProduct, type Product } from "../../product/product.js";
import { readProductSettings } from "../../product/settings.js";
import { waitForIndexer } from "../../product/wait-for-indexer.js";
import { EmbeddedDocumentStore } from "../../sdk/documents/embedded-store.js";
import { EncryptedDocumentStore } from "../../sdk/documents/encrypted-store.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { launchChromium, openSignedIn, screenshot } from "../api/chromium.js";

const DECLARATION = new TextEncoder().encode(
  `${JSON.stringify({ type: "customs-declaration", number: "107000000001", declarant: "AN-PHAT", goods: [{ hsCode: "520512", quantity: "1000", unit: "KGM" }] }, null, 2)}\n`,
);

let home: string;
let product: Product;
const log: string[] = [];
let hash: Hash;
let token: (org: string, role: "AUDITOR" | "OPERATOR") => Promise<string>;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "tracegate-reading-"));
  const env = { TRACEGATE_HOME: home, TRACEGATE_PORT: "0", TRACEGATE_RPC_PORT: "0", TRACEGATE_METRICS_PORT: "0", TRACEGATE_DECRYPT_FOR: "VNCUSTOMS" };
  product = await startProduct(readProductSettings(env, process.cwd()), (line) => log.push(line));
  const keys = product.keysDir;
  const blocks = await EmbeddedDocumentStore.open(product.documentsDir!);
  const recipients = await Promise.all(
    ["AN-PHAT", "VNCUSTOMS"].map(async (orgId) => ({ orgId, publicKey: await readFile(join(keys, `${orgId}.public.pem`), "utf8") })),
  );
  const stored = await new EncryptedDocumentStore(blocks).putDocument(DECLARATION, recipients);
  await blocks.close();
  hash = stored.hash;
  const { provider, addresses, signers } = product.ledger.embedded!;
  const ledger = await EvmLedger.connect({ endpoint: provider, addresses, signers, pollIntervalMs: 2 });
  const anchored = await ledger.submit(
    { org: "AN-PHAT", role: "SIGNER" },
    { type: "anchor", hash, id: "TK-107000000001", kind: "DECLARATION", cid: stored.cid, subjects: [] },
  );
  await ledger.close();
  await waitForIndexer(`${product.metricsUrl}`, anchored.block);
  const issuer = await devTokenIssuer(JSON.parse(await readFile(resolve(home, "api-dev-key.json"), "utf8")));
  token = (org, role) => issuer.mint(org, role);
}, 180_000);
afterAll(async () => {
  await product?.stop();
  await rm(home, { recursive: true, force: true });
});

const content = async (org: string, role: "AUDITOR" | "OPERATOR") =>
  fetch(`${product.apiUrl}/documents/${hash}/content`, { headers: { authorization: `Bearer ${await token(org, role)}` } });

describe("reading a document on the product", () => {
  it("says at start which organisations the node decrypts for", () => {
    expect(log).toContain("documents: decrypted on this node for VNCUSTOMS; any other organisation decrypts in its browser with its key file");
  });

  it("decrypts on the node for customs, whose key it holds, and for no one else", async () => {
    const customs = await content("VNCUSTOMS", "AUDITOR");
    expect(customs.status).toBe(200);
    expect(Buffer.from(await customs.arrayBuffer()).equals(Buffer.from(DECLARATION))).toBe(true);
    const enterprise = await content("AN-PHAT", "OPERATOR");
    expect([enterprise.status, ((await enterprise.json()) as { error: { code: string } }).error.code]).toEqual([403, "KEY_NOT_ON_NODE"]);
  });

  it("decrypts in the enterprise's browser from its key file, which no request carries", async () => {
    const browser = await launchChromium();
    try {
      const problems: string[] = [];
      const page = await openSignedIn(browser, product.apiUrl, await token("AN-PHAT", "OPERATOR"), `/document.html?hash=${hash}`, problems);
      const wire: string[] = [];
      page.on("request", (request) => wire.push(`${request.url()} ${JSON.stringify(request.headers())} ${request.postData() ?? ""}`));
      await page.click("#open-document");
      await page.waitForSelector("#key-file");
      const pem = await readFile(join(product.keysDir, "AN-PHAT.private.pem"), "utf8");
      await page.setInputFiles("#key-file", { name: "AN-PHAT.private.pem", mimeType: "application/x-pem-file", buffer: Buffer.from(pem) });
      await page.waitForSelector("p.verdict .badge");
      expect(await page.textContent("p.verdict")).toMatch(
        /^VALID Valid: these bytes are customs declaration TK-107000000001 version 1, anchored by AN-PHAT on \d{4}-\d{2}-\d{2}\.$/,
      );
      expect(await page.textContent("pre.document-text")).toBe(new TextDecoder().decode(DECLARATION));
      expect(await page.textContent("#download")).toBe("Download TK-107000000001.json");
      await screenshot(page, "document-product-browser");
      const body = pem.replace(/-----[A-Z ]+-----|\s/g, "");
      expect(wire.filter((line) => line.includes(body.slice(0, 24)) || line.includes(body.slice(-24)))).toEqual([]);
      expect(wire.some((line) => line.includes("/ipfs/"))).toBe(true);
      expect(problems.filter((problem) => !problem.includes("Failed to load resource"))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
