/** What commands connect to, opened on first use and closed when the command ends. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Actor } from "../../domain/index.js";
import { EmbeddedDocumentStore } from "../documents/embedded-store.js";
import { EncryptedDocumentStore } from "../documents/encrypted-store.js";
import type { Recipient } from "../documents/envelope.js";
import { EvmLedger } from "../evm/ledger.js";
import type { Settings } from "./config.js";
import { UsageError } from "./exit-codes.js";

export class Resources {
  private openedLedger: EvmLedger | undefined;
  private openedStore: EmbeddedDocumentStore | undefined;

  constructor(readonly settings: Settings) {}

  /** The ledger; `signing` when the command submits actions as this user. */
  async ledger(signing: boolean): Promise<EvmLedger> {
    const { rpcUrls, rpcToken, addresses, fromBlock, confirmations, privateKey } = this.settings;
    const signers = signing ? [{ ...this.actor(), privateKey: privateKey ?? missingKey() }] : [];
    const endpoints = rpcUrls.map((url) => (rpcToken === undefined ? url : { url, token: rpcToken }));
    const endpoint = endpoints.length === 1 ? endpoints[0]! : endpoints;
    this.openedLedger ??= await EvmLedger.connect({ endpoint, addresses, fromBlock, confirmations, signers });
    return this.openedLedger;
  }

  async store(): Promise<EncryptedDocumentStore> {
    this.openedStore ??= await EmbeddedDocumentStore.open(this.settings.dataDir);
    return new EncryptedDocumentStore(this.openedStore);
  }

  /** This user: a member of TRACEGATE_ORG in TRACEGATE_ROLE. */
  actor(): Actor {
    const { org, role } = this.settings;
    if (org === undefined) throw new UsageError("TRACEGATE_ORG is not set: give your organisation id (--org or TRACEGATE_ORG)");
    return { org, role };
  }

  /** An organisation's public document key, from the keys directory. */
  recipient(org: string): Recipient {
    return { orgId: org, publicKey: this.keyFile(`${org}.public.pem`, `the public key of ${org}`) };
  }

  /** This organisation's private document key. */
  readingKey(): { orgId: string; privateKey: string } {
    const { org } = this.actor();
    return { orgId: org, privateKey: this.keyFile(`${org}.private.pem`, `your organisation's private key`) };
  }

  async close(): Promise<void> {
    await this.openedLedger?.close();
    await this.openedStore?.close();
  }

  private keyFile(name: string, what: string): string {
    const path = join(this.settings.keysDir, name);
    try {
      return readFileSync(path, "utf8");
    } catch {
      throw new UsageError(`${what} is missing: put it in ${path} (X25519 PEM; set TRACEGATE_KEYS_DIR to use another directory)`);
    }
  }
}

function missingKey(): never {
  throw new UsageError("TRACEGATE_PRIVATE_KEY is not set: give the private key of your account (the environment variable, or --key-file)");
}
