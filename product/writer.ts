/**
 * Who signs: the ledger client the API acts through, connected with the keys of the members this node
 * acts for. On the embedded chain those are the demo members' keys, kept in the data directory; on an
 * external ledger, those TRACEGATE_MEMBER_KEYS lists (an owner-only JSON file): EVM private keys, or
 * Fabric identities (MSP, certificate and key files). Without them the API only reads. The caller's
 * organisation and role choose the key; nothing in a document does.
 */
import { readFile, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { ROLES, type Actor, type Role } from "../domain/index.js";
import { gatewayClient, readerIdentity } from "../indexer/sources/fabric/connection.js";
import type { FabricSourceSettings } from "../indexer/sources/settings.js";
import { EvmLedger, type SignerKey } from "../sdk/evm/ledger.js";
import { FabricLedger } from "../sdk/fabric/index.js";
import { actorKey, type Ledger } from "../sdk/ledger.js";
import type { FollowedLedger } from "./ledger.js";
import type { LedgerSettings } from "./settings.js";

export interface Writer {
  ledger: Ledger;
  signers: Actor[];
  close(): Promise<void>;
}

export async function openWriter(settings: LedgerSettings, ledger: FollowedLedger): Promise<Writer | undefined> {
  if (ledger.embedded !== undefined) {
    const { provider, addresses, signers } = ledger.embedded;
    // In process: receipts are there as soon as the send returns, so a short poll costs nothing.
    return evmWriter(signers, await EvmLedger.connect({ endpoint: provider, addresses, signers, pollIntervalMs: 2 }));
  }
  if (settings.kind !== "external" || settings.memberKeys === undefined) return undefined;
  const entries = await readKeysFile(settings.memberKeys);
  const source = settings.source;
  if (source.ledger === "fabric") return fabricWriter(source, fabricMembers(entries, settings.memberKeys));
  const signers = evmMembers(entries, settings.memberKeys);
  const endpoint = { TraceGateRegistry: source.registry, CustodyRegistry: source.custody };
  return evmWriter(signers, await EvmLedger.connect({ endpoint: source.rpc, addresses: endpoint, signers, fromBlock: source.fromBlock }));
}

function evmWriter(signers: readonly SignerKey[], ledger: EvmLedger): Writer {
  return { ledger, signers: signers.map(({ org, role }) => ({ org, role })), close: () => ledger.close() };
}

/** Each member's identity on the channel, through the same peer Gateway the indexer reads from. */
async function fabricWriter(source: FabricSourceSettings, members: ReadonlyArray<Actor & { mspId: string; certPath: string; keyPath: string }>): Promise<Writer> {
  const identities = new Map(members.map((member) => [actorKey(member), readerIdentity({ ...source, ...member })] as const));
  const client = gatewayClient(source);
  try {
    const ledger = await FabricLedger.connect({ client, channel: source.channel, chaincode: source.chaincode, identities });
    return {
      ledger,
      signers: members.map(({ org, role }) => ({ org, role })),
      close: async () => {
        await ledger.close();
        client.close();
      },
    };
  } catch (error) {
    client.close();
    throw error;
  }
}

type KeysEntry = Partial<Record<"org" | "role" | "privateKey" | "mspId" | "certPath" | "keyPath", unknown>>;

/** The member keys file, readable by its owner only: a JSON list of members with their keys. */
async function readKeysFile(path: string): Promise<KeysEntry[]> {
  const mode = (await stat(path)).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new Error(`TRACEGATE_MEMBER_KEYS: ${path} holds private keys and is readable by others (mode ${mode.toString(8)}): chmod 600 ${path}`);
  let entries: unknown;
  try {
    entries = JSON.parse(await readFile(path, "utf8"));
  } catch {
    throw new Error(`TRACEGATE_MEMBER_KEYS: ${path} is not JSON`);
  }
  if (!Array.isArray(entries)) throw new Error(`TRACEGATE_MEMBER_KEYS: ${path} must be a list of members ({"org", "role", and their keys})`);
  return entries.map((entry: unknown) => (typeof entry === "object" && entry !== null ? (entry as KeysEntry) : {}));
}

function member(entry: KeysEntry, index: number, path: string, keys: string): Actor {
  const { org, role } = entry;
  if (typeof org !== "string" || typeof role !== "string" || !ROLES.includes(role as Role)) {
    throw new Error(`TRACEGATE_MEMBER_KEYS: entry ${index} of ${path} needs "org", "role" (one of ${ROLES.join(", ")}) and ${keys}`);
  }
  return { org, role: role as Role };
}

/** EVM members: {"org", "role", "privateKey": "0x" and 64 hex digits}. */
function evmMembers(entries: readonly KeysEntry[], path: string): SignerKey[] {
  return entries.map((entry, index) => {
    const keys = '"privateKey" (0x and 64 hex digits)';
    const actor = member(entry, index, path, keys);
    if (typeof entry.privateKey !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(entry.privateKey)) throw new Error(`TRACEGATE_MEMBER_KEYS: entry ${index} of ${path} needs ${keys}`);
    return { ...actor, privateKey: entry.privateKey };
  });
}

/** Fabric members: {"org", "role", "mspId", "certPath", "keyPath"}, the files relative to the keys file. */
function fabricMembers(entries: readonly KeysEntry[], path: string): Array<Actor & { mspId: string; certPath: string; keyPath: string }> {
  return entries.map((entry, index) => {
    const keys = '"mspId", "certPath" and "keyPath" (PEM files of the member\'s Fabric identity)';
    const actor = member(entry, index, path, keys);
    const { mspId, certPath, keyPath } = entry;
    if (typeof mspId !== "string" || typeof certPath !== "string" || typeof keyPath !== "string") throw new Error(`TRACEGATE_MEMBER_KEYS: entry ${index} of ${path} needs ${keys}`);
    return { ...actor, mspId, certPath: resolve(dirname(path), certPath), keyPath: resolve(dirname(path), keyPath) };
  });
}
