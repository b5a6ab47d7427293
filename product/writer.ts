/**
 * Who signs: the ledger client the API acts through, connected with the keys of the members this node
 * acts for. On the embedded chain those are the demo members' keys, kept in the data directory; on an
 * external ledger, those TRACEGATE_MEMBER_KEYS lists (an owner-only JSON file): EVM private keys, or
 * Fabric identities (MSP, certificate and key files). Without them the API only reads. The caller's
 * organisation and role choose the key; nothing in a document does.
 */
import { readFile, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { ROLES, type Actor } from "../domain/index.js";
import { array, decodeAs, fromJson, object, oneOf, refined, string, type Shape } from "../domain/json-shapes.js";
import { gatewayClient, readerIdentity } from "../indexer/sources/fabric/connection.js";
import type { FabricSourceSettings } from "../indexer/sources/settings.js";
import { EvmLedger, type SignerKey } from "../sdk/evm/ledger.js";
import { FabricLedger } from "../sdk/fabric/index.js";
import { actorKey, LedgerConfigurationError, type Ledger } from "../sdk/ledger.js";
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
  const source = settings.source;
  if (source.ledger === "fabric") return fabricWriter(source, await fabricMembers(settings.memberKeys));
  const signers: SignerKey[] = await readKeysFile(settings.memberKeys, evmMember);
  const endpoint = { TraceGateRegistry: source.registry, CustodyRegistry: source.custody };
  return evmWriter(signers, await EvmLedger.connect({ endpoint: source.rpc, addresses: endpoint, signers, fromBlock: source.fromBlock }));
}

function evmWriter(signers: readonly SignerKey[], ledger: EvmLedger): Writer {
  return { ledger, signers: signers.map(({ org, role }) => ({ org, role })), close: () => ledger.close() };
}

/** Each member's identity on the channel, through the same peer Gateway the indexer reads from. */
async function fabricWriter(
  source: FabricSourceSettings,
  members: ReadonlyArray<Actor & { mspId: string; certPath: string; keyPath: string }>,
): Promise<Writer> {
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

/** An EVM member: its organisation, role and private key. */
const evmMember = object({ org: string, role: oneOf(ROLES), privateKey: refined(string, (key) => /^0x[0-9a-fA-F]{64}$/.test(key), "0x and 64 hex digits") });
/** A Fabric member: its organisation, role and identity (MSP, PEM files relative to the keys file). */
const fabricMember = object({ org: string, role: oneOf(ROLES), mspId: string, certPath: string, keyPath: string });

/** The member keys file, readable by its owner only: a JSON list of members with their keys. */
async function readKeysFile<T>(path: string, member: Shape<T>): Promise<T[]> {
  const mode = (await stat(path)).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new LedgerConfigurationError(
      `TRACEGATE_MEMBER_KEYS: ${path} holds private keys and is readable by others (mode ${mode.toString(8)}): chmod 600 ${path}`,
    );
  const text = await readFile(path, "utf8");
  return decodeAs(
    (where) => new LedgerConfigurationError(`TRACEGATE_MEMBER_KEYS: ${path}: ${where}`),
    () => fromJson(array(member), text),
  );
}

async function fabricMembers(path: string): Promise<Array<Actor & { mspId: string; certPath: string; keyPath: string }>> {
  return (await readKeysFile(path, fabricMember)).map((entry) => ({
    ...entry,
    certPath: resolve(dirname(path), entry.certPath),
    keyPath: resolve(dirname(path), entry.keyPath),
  }));
}
