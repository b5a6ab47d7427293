/**
 * Each organisation's X25519 document keys in the data directory, made on first use: ORG.public.pem
 * for everyone who shares documents with it, ORG.private.pem (mode 600) for the organisation itself.
 * On a real network each organisation makes its own and publishes only the public half.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { generateOrganisationKeyPair } from "./keys.js";

export async function ensureKeyFiles(keysDir: string, organisations: Iterable<string>): Promise<void> {
  await mkdir(keysDir, { recursive: true });
  for (const org of organisations) {
    if (existsSync(resolve(keysDir, `${org}.private.pem`))) continue;
    const { publicKey, privateKey } = generateOrganisationKeyPair();
    await writeFile(resolve(keysDir, `${org}.public.pem`), publicKey);
    await writeFile(resolve(keysDir, `${org}.private.pem`), privateKey, { mode: 0o600 });
  }
}
