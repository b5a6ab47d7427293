/**
 * A demo TraceGate network on the embedded chain: the demo organisations (customs, an enterprise, a
 * warehouse operator and a certificate-of-origin issuer), their facilities, and one funded member
 * account per role each may hold.
 * Keys are derived from labels and, on a chain that has one, its key secret (persistent-network.ts);
 * without a secret (tests' throwaway chains) anyone can recompute them.
 */
import { concat, id, keccak256, toQuantity, toUtf8Bytes, Wallet } from "ethers";
import { ROLES_BY_ORG_KIND } from "../../domain/index.js";
import { DEMO_FACILITIES, DEMO_ORGANISATIONS } from "../../sdk/demo-registry.js";
import { startEmbeddedChain, type EmbeddedChain, type ServeOptions } from "./embedded-chain.js";
import type { SignerKey } from "../../sdk/evm/ledger.js";
import { RegistryAdministration } from "../../sdk/evm/registry-admin.js";

/**
 * The key of `label` ("registrar", "VCCI-HCM/SIGNER") on a network whose key secret (32 bytes, hex) is
 * `secret`: keccak(secret ‖ label). Without one, keccak of a public label: a key anyone can sign with.
 */
export function demoKey(label: string, secret?: string): string {
  return secret === undefined ? id(`tracegate demo key ${label}`) : keccak256(concat([secret, toUtf8Bytes(label)]));
}

export interface DemoNetwork {
  chain: EmbeddedChain;
  /** The registry administrator's key. */
  registrarKey: string;
  /** One key per organisation and role. */
  signers: SignerKey[];
}

/** 500 ether each: ten demo accounts fit in the deployer's 10,000 and each can pay for millions of transactions. */
const BALANCE = toQuantity(5n * 10n ** 20n);

/** Starts the embedded chain (served over HTTP when `port` is given) and registers the demo network. */
export async function startDemoNetwork(options: ServeOptions = {}): Promise<DemoNetwork> {
  const registrarKey = demoKey("registrar");
  const chain = await startEmbeddedChain({ ...options, admin: new Wallet(registrarKey).address });
  try {
    return { chain, registrarKey, signers: await registerDemoNetwork(chain, registrarKey) };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}

/**
 * Registers the demo organisations, their member accounts and facilities on a chain whose registry
 * `registrarKey` administers, and funds the registrar and the members with transfers from the deployer
 * (a genesis-funded Hardhat account): transactions, which a chain journal replays, unlike
 * hardhat_setBalance. Members' keys derive from `secret` (public labels without one). Returns them.
 */
export async function registerDemoNetwork(
  chain: Pick<EmbeddedChain, "provider" | "addresses" | "deployer">,
  registrarKey: string,
  secret?: string,
): Promise<SignerKey[]> {
  const fund = (account: string) => chain.provider.request({ method: "eth_sendTransaction", params: [{ from: chain.deployer, to: account, value: BALANCE }] });
  await fund(new Wallet(registrarKey).address);
  const admin = await RegistryAdministration.connect(chain.provider, chain.addresses, registrarKey);
  const signers: SignerKey[] = [];
  for (const organisation of DEMO_ORGANISATIONS) {
    await admin.registerOrganisation(organisation);
    for (const role of ROLES_BY_ORG_KIND[organisation.kind]) {
      const signer = { org: organisation.id, role, privateKey: demoKey(`${organisation.id}/${role}`, secret) };
      const account = new Wallet(signer.privateKey).address;
      await fund(account);
      await admin.registerMember(account, organisation.id, role);
      signers.push(signer);
    }
  }
  for (const facility of DEMO_FACILITIES) await admin.registerFacility(facility);
  return signers;
}
