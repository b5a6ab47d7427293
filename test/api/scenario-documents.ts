/**
 * The scenario's documents stored as the product stores them: envelopes sealed with each organisation's
 * X25519 document key (ORG.public.pem / ORG.private.pem in a keys directory), under the CIDs the
 * scenario anchored (its CIDs are labels, so the store here is a map, not content-addressed). Some are
 * stored wrong on purpose, for the refusals: see SPECIAL.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DocumentError } from "../../sdk/documents/errors.js";
import { seal } from "../../sdk/documents/envelope.js";
import { ensureKeyFiles } from "../../sdk/documents/key-files.js";
import type { DocumentStore } from "../../sdk/documents/store.js";
import { BALANCE_REPORT_TEXT, type Scenario } from "./scenario.js";

export const DOCUMENT_ORGS = ["CUSTOMS", "ENT-1", "ENT-2", "TERMINAL", "VCCI"];

/** Documents stored otherwise than sealed for their issuer, customs and ENT-1. */
export const SPECIAL = {
  /** Sealed for VCCI and ENT-1 only: customs may see it but is no recipient. */
  notForCustoms: "CO-F1",
  /** One ciphertext byte flipped after sealing. */
  tampered: "DECL-LOT-T1",
  /** A valid envelope of other bytes than the anchored ones. */
  substituted: "PERMIT-T1",
  /** Anchored, never stored. */
  missing: "NORM-PROD-1",
} as const;

export const SUBSTITUTED_TEXT = "a permit someone else wrote";

export interface ScenarioDocuments {
  store: DocumentStore;
  keysDir: string;
  /** Each document's exact bytes (the anchored ones) by its scenario id ("MAN-1 v2" for the amendment). */
  contents: Map<string, Uint8Array>;
  privateKeyPem(org: string): Promise<string>;
  close(): Promise<void>;
}

const ISSUER_PREFIXES: Array<[RegExp, string]> = [
  [/^DECL-LOT-X1$/, "ENT-2"],
  [/^(DECL-|NORM-|BR-)/, "ENT-1"],
  [/^(CO-|PERMIT-)/, "VCCI"],
  [/^INSP-/, "CUSTOMS"],
  [/^MAN-/, "TERMINAL"],
];

export async function scenarioDocuments(scenario: Scenario): Promise<ScenarioDocuments> {
  const keysDir = await mkdtemp(join(tmpdir(), "tracegate-document-keys-"));
  await ensureKeyFiles(keysDir, DOCUMENT_ORGS);
  const publicKey = (org: string) => readFile(join(keysDir, `${org}.public.pem`), "utf8");
  const blobs = new Map<string, Uint8Array>();
  const contents = new Map<string, Uint8Array>();
  for (const id of scenario.documents.keys()) {
    const bytes = new TextEncoder().encode(id === "BR-2027-01" ? BALANCE_REPORT_TEXT : `scenario document ${id}`);
    contents.set(id, bytes);
    if (id === SPECIAL.missing) continue;
    const issuer = ISSUER_PREFIXES.find(([pattern]) => pattern.test(id))![1];
    const orgs = id === SPECIAL.notForCustoms ? ["VCCI", "ENT-1"] : [...new Set([issuer, "CUSTOMS", "ENT-1"])];
    const recipients = await Promise.all(orgs.map(async (orgId) => ({ orgId, publicKey: await publicKey(orgId) })));
    const envelope = seal(id === SPECIAL.substituted ? new TextEncoder().encode(SUBSTITUTED_TEXT) : bytes, recipients);
    if (id === SPECIAL.tampered) envelope[envelope.length - 20]! ^= 0x01;
    blobs.set(`bafy-${id.toLowerCase().replace(" ", "-")}`, envelope);
  }
  const store: DocumentStore = {
    put: () => Promise.reject(new Error("read-only")),
    get: async (cid) => {
      const bytes = blobs.get(cid);
      if (bytes === undefined) throw new DocumentError("NOT_FOUND", `no block ${cid}`);
      return bytes;
    },
    has: async (cid) => blobs.has(cid),
    exportCar: () => {
      throw new DocumentError("NOT_FOUND", "no CARs here");
    },
  };
  return {
    store,
    keysDir,
    contents,
    privateKeyPem: (org) => readFile(join(keysDir, `${org}.private.pem`), "utf8"),
    close: () => rm(keysDir, { recursive: true, force: true }),
  };
}
