/**
 * The pages' envelope module (api/web/js/envelope.js) against the SDK: documents sealed by
 * sdk/documents open in Chromium byte for byte, and every altered envelope or unusable key is refused
 * with the SDK's own error code. Also content-kind.js: what the page shows inline.
 */
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servePage } from "../../api/static-pages.js";
import { open, seal } from "../../sdk/documents/envelope.js";
import type { DocumentError } from "../../sdk/documents/errors.js";
import { generateOrganisationKeyPair, type OrganisationKeyPair } from "../../sdk/documents/keys.js";
import { launchChromium, type Browser } from "./chromium.js";

let server: Server;
let browser: Browser;
let page: Page;
const keys = new Map<string, OrganisationKeyPair>(["ORG-A", "ORG-B", "ORG-C", "ORG-D"].map((org) => [org, generateOrganisationKeyPair()]));
const recipients = ["ORG-A", "ORG-B", "ORG-C"].map((orgId) => ({ orgId, publicKey: keys.get(orgId)!.publicKey }));

beforeAll(async () => {
  server = createServer((request, response) => void servePage(request, response).then((served) => served || response.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/verify.html`);
  // As a string: vitest would rewrite an import() written in a function handed to the page.
  await page.evaluate(
    `Promise.all([import("/js/envelope.js"), import("/js/content-kind.js")]).then(([envelope, kinds]) => { window.envelope = envelope; window.kinds = kinds; })`,
  );
});

/** The page modules' functions used here (plain JS, no declarations). */
interface PageModules {
  envelope: {
    openEnvelope(bytes: Uint8Array, org: string, key: unknown): Promise<Uint8Array<ArrayBuffer>>;
    readPrivateKey(pem: string): Promise<unknown>;
  };
  kinds: {
    contentKind(bytes: Uint8Array): { view: string | null; type: string; extension: string };
    fileName(id: string, kind: { extension: string }): string;
  };
}
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

interface Opened {
  code?: string;
  message?: string;
  sha256?: string;
  length?: number;
}

/** Opens each envelope in the page as `org` with `pem`: the plaintext's SHA-256 and length, or the error's code. */
function openInBrowser(envelopes: Uint8Array[], org: string, pem: string): Promise<Opened[]> {
  return page.evaluate(
    async ({ encoded, org, pem }) => {
      const { openEnvelope, readPrivateKey } = (window as unknown as PageModules).envelope;
      const results = [];
      for (const text of encoded) {
        try {
          const bytes = await openEnvelope(
            Uint8Array.from(atob(text), (c) => c.charCodeAt(0)),
            org,
            await readPrivateKey(pem),
          );
          const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
          results.push({ sha256: [...digest].map((b) => b.toString(16).padStart(2, "0")).join(""), length: bytes.length });
        } catch (error) {
          results.push({ code: (error as { code?: string }).code ?? "UNTYPED", message: (error as Error).message });
        }
      }
      return results;
    },
    { encoded: envelopes.map((envelope) => Buffer.from(envelope).toString("base64")), org, pem },
  );
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** What the SDK says of the same envelope: the same shape as openInBrowser's answer. */
function openInSdk(envelope: Uint8Array, org: string, pem: string): Opened {
  try {
    const bytes = open(envelope, org, pem);
    return { sha256: sha256(bytes), length: bytes.length };
  } catch (error) {
    return { code: (error as DocumentError).code };
  }
}

describe("envelope.js opens what the SDK seals", () => {
  it.each([0, 1, 1024 * 1024])("%i bytes, byte for byte, for every recipient", async (size) => {
    const plaintext = randomBytes(size);
    const envelope = seal(plaintext, recipients);
    for (const { orgId } of recipients) {
      expect(await openInBrowser([envelope], orgId, keys.get(orgId)!.privateKey)).toEqual([{ sha256: sha256(plaintext), length: size }]);
    }
  });

  it("agrees with the SDK on every byte of an envelope altered, and on every cut", async () => {
    const envelope = seal(Buffer.from("a certificate of origin"), recipients.slice(0, 2));
    const altered = [...envelope.keys()].map((index) => {
      const copy = Uint8Array.from(envelope);
      copy[index]! ^= 0x01;
      return copy;
    });
    const cut = [0, 3, 7, 50, envelope.length - 17, envelope.length - 1].map((length) => envelope.subarray(0, length));
    const longer = Uint8Array.from([...envelope, 0]);
    const all = [...altered, ...cut, longer];
    const browserCodes = (await openInBrowser(all, "ORG-A", keys.get("ORG-A")!.privateKey)).map((result) => result.code);
    expect(browserCodes).toEqual(all.map((bytes) => openInSdk(bytes, "ORG-A", keys.get("ORG-A")!.privateKey).code));
    expect(new Set(browserCodes)).toEqual(new Set(["MALFORMED_ENVELOPE", "UNSUPPORTED_ENVELOPE_VERSION", "NOT_A_RECIPIENT", "DECRYPTION_FAILED"]));
  });

  it("refuses a wrong key, a non-recipient, keys that are not X25519 private keys, and garbage", async () => {
    const envelope = seal(Buffer.from("a permit"), recipients);
    const codes = async (org: string, pem: string) => (await openInBrowser([envelope], org, pem))[0]!.code;
    expect(await codes("ORG-A", keys.get("ORG-B")!.privateKey)).toBe("DECRYPTION_FAILED");
    expect(await codes("ORG-D", keys.get("ORG-D")!.privateKey)).toBe("NOT_A_RECIPIENT");
    const pkcs8 = (type: "ed25519" | "x448") => generateKeyPairSync(type as "ed25519").privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const p256 = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    for (const pem of [
      pkcs8("ed25519"),
      pkcs8("x448"),
      p256,
      keys.get("ORG-A")!.publicKey,
      "",
      "not a key at all",
      `-----BEGIN PRIVATE KEY-----\n${randomBytes(48).toString("base64")}\n-----END PRIVATE KEY-----\n`,
      "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----",
    ]) {
      const [result] = await openInBrowser([envelope], "ORG-A", pem);
      expect([pem.slice(0, 40), result!.code]).toEqual([pem.slice(0, 40), "INVALID_KEY"]);
      expect(result!.message).toMatch(/not an X25519 private key/);
    }
    const garbage = (await openInBrowser([randomBytes(300)], "ORG-A", keys.get("ORG-A")!.privateKey))[0]!;
    expect(garbage.code).toBe("MALFORMED_ENVELOPE");
  });
});

describe("the pages' Content-Security-Policy", () => {
  it("lets a decrypted image and PDF show from blob: URLs the page made", async () => {
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    const shown = await page.evaluate(async (png) => {
      const violations: string[] = [];
      document.addEventListener("securitypolicyviolation", (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
      const image = document.createElement("img");
      image.src = URL.createObjectURL(new Blob([Uint8Array.from(atob(png), (c) => c.charCodeAt(0))], { type: "image/png" }));
      document.body.append(image);
      await image.decode();
      const frame = document.createElement("iframe");
      frame.src = URL.createObjectURL(new Blob(["%PDF-1.4\n"], { type: "application/pdf" }));
      await new Promise((resolve) => {
        frame.onload = resolve; // fires for a blocked frame too, after its violation is reported
        document.body.append(frame);
      });
      return { width: image.naturalWidth, violations };
    }, png);
    expect(shown).toEqual({ width: 1, violations: [] });
  });
});

describe("content-kind.js", () => {
  it("shows PDF, raster images and text inline, anything else only as a download", async () => {
    const samples: Record<string, number[]> = {
      pdf: [...Buffer.from("%PDF-1.7\n%\xe2\xe3\n", "latin1")],
      png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0],
      jpeg: [0xff, 0xd8, 0xff, 0xe0, 0, 0x10],
      gif: [...Buffer.from("GIF89a\x01\x00", "latin1")],
      webp: [...Buffer.from("RIFF\x10\x00\x00\x00WEBPVP8 ", "latin1")],
      json: [...Buffer.from('{\n  "type": "certificate-of-origin"\n}\n')],
      text: [...Buffer.from("Giấy chứng nhận xuất xứ\n")],
      html: [...Buffer.from("<html><script>alert(1)</script></html>")],
      svg: [...Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')],
      binary: [0x00, 0x01, 0x02, 0xff],
      badUtf8: [0x41, 0xc3, 0x28],
      control: [...Buffer.from("text\x1bwith escape")],
      empty: [],
    };
    const kinds = await page.evaluate(async (samples) => {
      const { contentKind, fileName } = (window as unknown as PageModules).kinds;
      return Object.fromEntries(
        Object.entries(samples).map(([name, bytes]) => {
          const kind = contentKind(Uint8Array.from(bytes));
          return [name, `${kind.view ?? "download"} ${kind.type} ${fileName("CO/17 v2", kind)}`];
        }),
      );
    }, samples);
    expect(kinds).toEqual({
      pdf: "pdf application/pdf CO_17_v2.pdf",
      png: "image image/png CO_17_v2.png",
      jpeg: "image image/jpeg CO_17_v2.jpg",
      gif: "image image/gif CO_17_v2.gif",
      webp: "image image/webp CO_17_v2.webp",
      json: "text text/plain CO_17_v2.json",
      text: "text text/plain CO_17_v2.txt",
      html: "text text/plain CO_17_v2.txt",
      svg: "text text/plain CO_17_v2.txt",
      binary: "download application/octet-stream CO_17_v2.bin",
      badUtf8: "download application/octet-stream CO_17_v2.bin",
      control: "download application/octet-stream CO_17_v2.bin",
      empty: "download application/octet-stream CO_17_v2.bin",
    });
  });
});
