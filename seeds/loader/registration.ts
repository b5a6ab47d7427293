/**
 * Brings a chain's registry up to the scenario's: organisations, member accounts (one per organisation
 * and role, keys derived with demoKey from the chain's key secret) and facilities that are missing are registered by the registrar, and
 * members short of funds get a value transfer from a funded account (a persistent chain has no
 * hardhat_setBalance). What is already there is left alone, so loading onto `npm start`'s chain works.
 */
import { Wallet } from "ethers";
import type { Organisation } from "../../domain/index.js";
import { ChainReader, type ContractAddresses } from "../../sdk/evm/chain-reads.js";
import { decodeRegistryEvent, encodeId, OrganisationDirectory } from "../../sdk/evm/codec.js";
import { demoKey } from "../../product/chain/demo-network.js";
import { RegistryAdministration } from "../../sdk/evm/registry-admin.js";
import type { Endpoint, Rpc } from "../../sdk/evm/rpc.js";
import type { Receipt } from "../../sdk/evm/transactor.js";
import type { Member, ScenarioFacility } from "../registry.js";
import { GAS_PRICE } from "./block-writer.js";

/** A member below this balance is topped up to FUNDED: a million-event year costs its busiest member ~20 ether. */
const MINIMUM_BALANCE = 5n * 10n ** 18n;
const FUNDED = 30n * 10n ** 18n;

/** The key of `member` on a chain whose key secret is `secret` (undefined: public demo labels). */
export function memberKey({ org, role }: Member, secret: string | undefined): string {
  return demoKey(`${org}/${role}`, secret);
}

export interface RegistryContent {
  organisations: readonly Organisation[];
  members: readonly Member[];
  facilities: readonly ScenarioFacility[];
}

/** Registers what is missing and funds the members; returns the chain's organisation numbers. */
export async function ensureRegistered(
  rpc: Rpc,
  endpoint: Endpoint,
  addresses: ContractAddresses,
  content: RegistryContent,
  keys: { registrar: string; funder: string; secret?: string },
): Promise<OrganisationDirectory> {
  const reader = new ChainReader(rpc, addresses, 0n);
  const admin = await RegistryAdministration.connect(endpoint, addresses, keys.registrar);
  for (const organisation of content.organisations) {
    const [record] = await reader.call("TraceGateRegistry", "organisation", [encodeId(organisation.id)]);
    if (record.index === 0n) await admin.registerOrganisation(organisation);
  }
  for (const member of content.members) {
    const account = new Wallet(memberKey(member, keys.secret)).address;
    const [record] = await reader.call("TraceGateRegistry", "member", [account]);
    if (record.org === 0n) await admin.registerMember(account, member.org, member.role);
  }
  for (const facility of content.facilities) {
    const [record] = await reader.call("TraceGateRegistry", "facility", [encodeId(facility.id)]);
    if (record.operator === 0n) await admin.registerFacility(facility);
  }
  // After the registrations: the funder may be the registrar, whose transactor counts its nonces itself.
  const chainId = BigInt(await rpc.request<string>("eth_chainId"));
  const funder = new Wallet(keys.funder);
  let nonce = Number(BigInt(await rpc.request<string>("eth_getTransactionCount", [funder.address, "pending"])));
  const short: Array<{ account: string; balance: bigint }> = [];
  for (const member of content.members) {
    const account = new Wallet(memberKey(member, keys.secret)).address;
    const balance = BigInt(await rpc.request<string>("eth_getBalance", [account, "latest"]));
    if (balance < MINIMUM_BALANCE) short.push({ account, balance });
  }
  // Shares of what the funder has, at most FUNDED each: demo networks fund their registrar modestly.
  const available = BigInt(await rpc.request<string>("eth_getBalance", [funder.address, "latest"]));
  const share = available / BigInt(short.length + 1);
  for (const { account, balance } of short) {
    const value = (FUNDED < share ? FUNDED : share) - balance;
    if (value <= 0n) continue;
    const raw = await funder.signTransaction({ type: 0, chainId, nonce: nonce++, to: account, value, gasLimit: 21_000n, gasPrice: GAS_PRICE });
    await mined(rpc, await rpc.request<string>("eth_sendRawTransaction", [raw]));
  }
  return organisationDirectory(rpc, addresses);
}

/** The chain's organisation numbers, from its registrations. */
export async function organisationDirectory(rpc: Rpc, addresses: ContractAddresses): Promise<OrganisationDirectory> {
  const directory = new OrganisationDirectory();
  for (const log of await new ChainReader(rpc, addresses, 0n).logs("TraceGateRegistry", "OrganisationRegistered")) {
    const event = decodeRegistryEvent(log);
    if (event?.type === "organisationRegistered") directory.add(event.id, event.index);
  }
  return directory;
}

async function mined(rpc: Rpc, hash: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const receipt = await rpc.request<Receipt | null>("eth_getTransactionReceipt", [hash]);
    if (receipt !== null) {
      if (BigInt(receipt.status) !== 1n) throw new Error(`funding transfer ${hash} failed`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`funding transfer ${hash} was not mined within a minute: does the chain mine on its own?`);
}
