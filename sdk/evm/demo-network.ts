/**
 * A demo TraceGate network on the embedded chain: the demo organisations (customs, an enterprise, a
 * warehouse operator and a certificate-of-origin issuer), their facilities, and one funded member
 * account per role each may hold.
 * Keys are derived from public labels: anyone can recompute them, so they are for local chains only.
 */
import { id, toQuantity, Wallet } from "ethers";
import { ROLES_BY_ORG_KIND } from "../../domain/index.js";
import { DEMO_FACILITIES, DEMO_ORGANISATIONS } from "../demo-registry.js";
import { startEmbeddedChain, type EmbeddedChain } from "./embedded-chain.js";
import type { SignerKey } from "./ledger.js";
import { RegistryAdministration } from "./registry-admin.js";

/** The demo key of `label` ("registrar", "VCCI-HCM/SIGNER"). */
export function demoKey(label: string): string {
  return id(`tracegate demo key ${label}`);
}

export interface DemoNetwork {
  chain: EmbeddedChain;
  /** The registry administrator's key. */
  registrarKey: string;
  /** One key per organisation and role. */
  signers: SignerKey[];
}

const BALANCE = toQuantity(10n ** 24n);

/** Starts the embedded chain (served over HTTP when `port` is given) and registers the demo network. */
export async function startDemoNetwork(options: { port?: number } = {}): Promise<DemoNetwork> {
  const registrarKey = demoKey("registrar");
  const registrar = new Wallet(registrarKey).address;
  const chain = await startEmbeddedChain({ admin: registrar, port: options.port });
  try {
    const fund = (address: string) => chain.connection.provider.request({ method: "hardhat_setBalance", params: [address, BALANCE] });
    await fund(registrar);
    const admin = await RegistryAdministration.connect(chain.connection.provider, chain.addresses, registrarKey);
    const signers: SignerKey[] = [];
    for (const organisation of DEMO_ORGANISATIONS) {
      await admin.registerOrganisation(organisation);
      for (const role of ROLES_BY_ORG_KIND[organisation.kind]) {
        const signer = { org: organisation.id, role, privateKey: demoKey(`${organisation.id}/${role}`) };
        const account = new Wallet(signer.privateKey).address;
        await fund(account);
        await admin.registerMember(account, organisation.id, role);
        signers.push(signer);
      }
    }
    for (const facility of DEMO_FACILITIES) await admin.registerFacility(facility);
    return { chain, registrarKey, signers };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}
