import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { open, seal, type Recipient } from "../../sdk/documents/envelope.js";
import { DocumentError } from "../../sdk/documents/errors.js";
import { generateOrganisationKeyPair, type OrganisationKeyPair } from "../../sdk/documents/keys.js";
import { expectSameBytes } from "./store-contract.js";

const ORGS = ["CUSTOMS-HQ", "ACME-TEXTILES", "CO-ISSUER-VCCI", "WAREHOUSE-7", "MINISTRY-MOIT", "PORT-HPH"] as const;
const KEYS: Record<string, OrganisationKeyPair> = Object.fromEntries(ORGS.map((org) => [org, generateOrganisationKeyPair()]));
const recipient = (orgId: string): Recipient => ({ orgId, publicKey: KEYS[orgId]!.publicKey });
const privateKey = (orgId: string): string => KEYS[orgId]!.privateKey;
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

/** What opening an altered envelope may throw; anything else, or a return, is a failure. */
const TAMPER_CODES = ["MALFORMED_ENVELOPE", "UNSUPPORTED_ENVELOPE_VERSION", "NOT_A_RECIPIENT", "DECRYPTION_FAILED"];

function openingError(envelope: Uint8Array, orgId: string): DocumentError {
  let opened: Uint8Array | undefined;
  try {
    opened = open(envelope, orgId, privateKey(orgId));
  } catch (error) {
    if (error instanceof DocumentError) return error;
    throw error;
  }
  throw new Error(`open returned ${opened.byteLength} bytes from an altered envelope`);
}

const recipientSets = fc.uniqueArray(fc.constantFrom(...ORGS), { minLength: 1, maxLength: ORGS.length });

describe("seal / open", () => {
  it("every recipient, and only a recipient, opens to the exact plaintext", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), recipientSets, (plaintext, orgs) => {
        const envelope = seal(plaintext, orgs.map(recipient));
        for (const org of orgs) expectSameBytes(open(envelope, org, privateKey(org)), plaintext);
        for (const outsider of ORGS.filter((org) => !orgs.includes(org))) {
          expect(openingError(envelope, outsider).code).toBe("NOT_A_RECIPIENT");
        }
      }),
      { numRuns: 40 },
    );
  });

  it("a recipient's id with another organisation's private key is DECRYPTION_FAILED", () => {
    const envelope = seal(text("for customs only"), [recipient("CUSTOMS-HQ")]);
    expect(() => open(envelope, "CUSTOMS-HQ", privateKey("ACME-TEXTILES"))).toThrow(expect.objectContaining({ code: "DECRYPTION_FAILED" }));
  });

  it("seals the same document differently every time (fresh key and nonce)", () => {
    const plaintext = text("same bytes");
    const [first, second] = [1, 2].map(() => seal(plaintext, [recipient("ACME-TEXTILES")]));
    expect(Buffer.compare(first!, second!)).not.toBe(0);
  });

  it("lays bytes out as documented: magic, version, recipients, nonce, length, ciphertext, tag", () => {
    const plaintext = text("declaration 42");
    const envelope = Buffer.from(seal(plaintext, [recipient("ACME-TEXTILES"), recipient("CUSTOMS-HQ")]));
    expect(envelope.subarray(0, 5)).toEqual(Buffer.from("TGDE\x01", "latin1"));
    expect(envelope.readUInt16BE(5)).toBe(2);
    expect(envelope[7]).toBe("ACME-TEXTILES".length);
    expect(envelope.subarray(8, 8 + 13).toString("latin1")).toBe("ACME-TEXTILES");
    const recipientsEnd = 7 + (1 + 13 + 32 + 48) + (1 + 10 + 32 + 48);
    expect(envelope.readBigUInt64BE(recipientsEnd + 12)).toBe(BigInt(plaintext.length));
    expect(envelope.length).toBe(recipientsEnd + 12 + 8 + plaintext.length + 16);
    expect(envelope.includes(Buffer.from(plaintext))).toBe(false);
  });

  it("refuses bad recipient lists and keys with typed errors", () => {
    const plaintext = text("x");
    expect(() => seal(plaintext, [])).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => seal(plaintext, [recipient("ACME-TEXTILES"), recipient("ACME-TEXTILES")])).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => seal(plaintext, [{ orgId: "has space", publicKey: KEYS["ACME-TEXTILES"]!.publicKey }])).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
    const ed25519 = generateKeyPairSync("ed25519", {
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    expect(() => seal(plaintext, [{ orgId: "ACME-TEXTILES", publicKey: ed25519.publicKey }])).toThrow(expect.objectContaining({ code: "INVALID_KEY" }));
    const envelope = seal(plaintext, [recipient("ACME-TEXTILES")]);
    for (const key of [ed25519.privateKey, "not a key"]) {
      expect(() => open(envelope, "ACME-TEXTILES", key)).toThrow(expect.objectContaining({ code: "INVALID_KEY" }));
    }
  });
});

describe("an altered envelope never opens", () => {
  const plaintext = text("Certificate of origin, form D, 1,200 kg of cotton yarn");
  const envelope = seal(plaintext, [recipient("CUSTOMS-HQ"), recipient("ACME-TEXTILES")]);

  it("flipping any single bit anywhere gives a typed error, for every recipient", () => {
    for (let index = 0; index < envelope.length; index++) {
      for (let bit = 0; bit < 8; bit++) {
        const altered = envelope.slice();
        altered[index]! ^= 1 << bit;
        for (const org of ["CUSTOMS-HQ", "ACME-TEXTILES"]) {
          expect(TAMPER_CODES).toContain(openingError(altered, org).code);
        }
      }
    }
  });

  it("flipping any byte of random envelopes gives a typed error", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), recipientSets, fc.nat(), fc.integer({ min: 1, max: 255 }), (body, orgs, at, mask) => {
        const sealed = seal(body, orgs.map(recipient));
        sealed[at % sealed.length]! ^= mask;
        expect(TAMPER_CODES).toContain(openingError(sealed, orgs[0]!).code);
      }),
      { numRuns: 200 },
    );
  });

  it("every truncation and any trailing byte is MALFORMED_ENVELOPE", () => {
    for (let length = 0; length < envelope.length; length++) {
      expect(openingError(envelope.subarray(0, length), "CUSTOMS-HQ").code).toBe("MALFORMED_ENVELOPE");
    }
    const extended = new Uint8Array([...envelope, 0]);
    expect(openingError(extended, "CUSTOMS-HQ").code).toBe("MALFORMED_ENVELOPE");
  });

  it("garbage, with or without a valid-looking start, gives a typed error", () => {
    const magic = [0x54, 0x47, 0x44, 0x45, 0x01];
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 600 }), (withMagic, noise) => {
        const garbage = new Uint8Array([...(withMagic ? magic : []), ...noise]);
        expect(TAMPER_CODES).toContain(openingError(garbage, "CUSTOMS-HQ").code);
      }),
      { numRuns: 300 },
    );
  });

  it("a newer version is reported as such", () => {
    const future = envelope.slice();
    future[4] = 2;
    expect(openingError(future, "CUSTOMS-HQ").code).toBe("UNSUPPORTED_ENVELOPE_VERSION");
  });
});

describe("key material never leaves in an error", () => {
  /** Every form in which the private key could leak: PEM body, raw scalar in hex and base64. */
  function keyForms(pem: string): string[] {
    const d = createPrivateKey(pem).export({ format: "jwk" }).d!;
    const raw = Buffer.from(d, "base64url");
    return [pem.split("\n")[1]!, d, raw.toString("hex"), raw.toString("base64")];
  }

  function everythingIn(error: unknown): string {
    const deep = inspect(error, { depth: Infinity, showHidden: true });
    return [deep, JSON.stringify(error), (error as Error).stack].join("\n");
  }

  it("not from a wrong key, a tampered envelope or an unreadable key", () => {
    const envelope = seal(text("secret"), [recipient("CUSTOMS-HQ")]);
    const tampered = envelope.slice();
    tampered[tampered.length - 1]! ^= 1;
    const attempts: Array<[Uint8Array, string]> = [
      [envelope, privateKey("ACME-TEXTILES")],
      [tampered, privateKey("CUSTOMS-HQ")],
      [envelope, privateKey("CUSTOMS-HQ").slice(0, 60)],
      [envelope, KEYS["CUSTOMS-HQ"]!.publicKey],
    ];
    for (const [bytes, key] of attempts) {
      let thrown: unknown;
      try {
        open(bytes, "CUSTOMS-HQ", key);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DocumentError);
      const dump = everythingIn(thrown);
      for (const org of ["CUSTOMS-HQ", "ACME-TEXTILES"]) {
        for (const form of keyForms(privateKey(org))) expect(dump).not.toContain(form);
      }
      expect(dump).not.toContain("PRIVATE KEY");
    }
  });
});
