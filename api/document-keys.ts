/**
 * The organisations whose documents this node opens for their callers: their X25519 private document
 * keys (ORG.private.pem in a keys directory), read and checked once at start. An organisation whose key
 * the node does not hold opens its documents in its own browser instead (web/js/envelope.js).
 */
import type { KeyObject } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { x25519PrivateKey } from "../sdk/documents/keys.js";

export interface DocumentKeyRing {
  /** The organisations this node decrypts for, sorted. */
  readonly orgs: readonly string[];
  privateKey(org: string): KeyObject | undefined;
}

export const NO_DOCUMENT_KEYS: DocumentKeyRing = { orgs: [], privateKey: () => undefined };

const PRIVATE_KEY_FILE = /^([\x21-\x7e]{1,31})\.private\.pem$/;

/**
 * The keys in `keysDir`: every ORG.private.pem there ("all"; none if the directory does not exist), or
 * exactly the organisations listed, each of which must have its file. Throws naming the file at fault.
 */
export async function loadDocumentKeys(keysDir: string, which: "all" | readonly string[]): Promise<DocumentKeyRing> {
  const orgs = which === "all" ? await orgsWithKeys(keysDir) : [...new Set(which)];
  const keys = new Map<string, KeyObject>();
  for (const org of orgs) {
    const path = join(keysDir, `${org}.private.pem`);
    let pem: string;
    try {
      pem = await readFile(path, "utf8");
    } catch {
      throw new Error(`no private document key for ${org}: ${path} cannot be read`);
    }
    try {
      keys.set(org, x25519PrivateKey(pem));
    } catch {
      throw new Error(`${path} is not an X25519 private key in PEM (PKCS#8)`);
    }
  }
  return { orgs: [...keys.keys()].sort(), privateKey: (org) => keys.get(org) };
}

async function orgsWithKeys(keysDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(keysDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names.flatMap((name) => PRIVATE_KEY_FILE.exec(name)?.[1] ?? []);
}
