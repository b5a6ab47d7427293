/**
 * Who signs: the ledger client the API acts through, connected with the keys of the members this node
 * acts for. On the embedded chain those are the demo members' keys, kept in the data directory; on an
 * external EVM chain, the keys in TRACEGATE_MEMBER_KEYS (an owner-only JSON file). Without keys the API
 * only reads. The caller's organisation and role choose the key; nothing in a document does.
 */
import { readFile, stat } from "node:fs/promises";
import { ROLES, type Actor, type Role } from "../../domain/index.js";
import { EvmLedger, type SignerKey } from "../../sdk/evm/ledger.js";
import type { FollowedLedger } from "./ledger.js";
import type { LedgerSettings } from "./settings.js";

export interface Writer {
  ledger: EvmLedger;
  signers: Actor[];
}

export async function openWriter(settings: LedgerSettings, ledger: FollowedLedger): Promise<Writer | undefined> {
  if (ledger.embedded !== undefined) {
    const { provider, addresses, signers } = ledger.embedded;
    // In process: receipts are there as soon as the send returns, so a short poll costs nothing.
    return connect(signers, () => EvmLedger.connect({ endpoint: provider, addresses, signers, pollIntervalMs: 2 }));
  }
  if (settings.kind !== "external" || settings.source.ledger !== "evm" || settings.memberKeys === undefined) return undefined;
  const signers = await readMemberKeys(settings.memberKeys);
  const { rpc, registry, custody, fromBlock } = settings.source;
  return connect(signers, () => EvmLedger.connect({ endpoint: rpc, addresses: { TraceGateRegistry: registry, CustodyRegistry: custody }, signers, fromBlock }));
}

async function connect(signers: readonly SignerKey[], open: () => Promise<EvmLedger>): Promise<Writer> {
  return { ledger: await open(), signers: signers.map(({ org, role }) => ({ org, role })) };
}

/** The member keys file: [{"org": "...", "role": "OPERATOR", "privateKey": "0x..."}], readable by its owner only. */
export async function readMemberKeys(path: string): Promise<SignerKey[]> {
  const mode = (await stat(path)).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new Error(`TRACEGATE_MEMBER_KEYS: ${path} holds private keys and is readable by others (mode ${mode.toString(8)}): chmod 600 ${path}`);
  let entries: unknown;
  try {
    entries = JSON.parse(await readFile(path, "utf8"));
  } catch {
    throw new Error(`TRACEGATE_MEMBER_KEYS: ${path} is not JSON`);
  }
  if (!Array.isArray(entries)) throw new Error(`TRACEGATE_MEMBER_KEYS: ${path} must be a list of {"org", "role", "privateKey"}`);
  return entries.map((entry: { org?: unknown; role?: unknown; privateKey?: unknown }, index) => {
    const { org, role, privateKey } = entry ?? {};
    if (typeof org !== "string" || typeof role !== "string" || !ROLES.includes(role as Role) || typeof privateKey !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(privateKey)) {
      throw new Error(`TRACEGATE_MEMBER_KEYS: entry ${index} of ${path} needs "org", "role" (one of ${ROLES.join(", ")}) and "privateKey" (0x and 64 hex digits)`);
    }
    return { org, role: role as Role, privateKey };
  });
}
