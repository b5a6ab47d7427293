/**
 * Registry administration, the customs registrar's job on the EVM (organisations, member accounts,
 * facilities): not a domain action, so it goes straight to the registry's admin functions.
 */
import { Wallet } from "ethers";
import { FACILITY_KINDS, ORG_KINDS, ROLES, type Facility, type Id, type Organisation, type Role } from "../../domain/index.js";
import type { ContractAddresses } from "./chain-reads.js";
import { contractInterface, decodeRevert, encodeId, enumIndex, OrganisationDirectory } from "./codec.js";
import { openRpc, type Endpoint } from "./rpc.js";
import { TransactionReverted, Transactor } from "./transactor.js";

export class RegistryAdministration {
  private constructor(
    private readonly transactor: Transactor,
    private readonly registrar: Wallet,
    private readonly registry: string,
  ) {}

  /** Acts with `registrarKey`, the key of an account holding the registry's REGISTRAR_ROLE. */
  static async connect(endpoint: Endpoint, addresses: ContractAddresses, registrarKey: string): Promise<RegistryAdministration> {
    const rpc = openRpc(endpoint);
    const chainId = BigInt(await rpc.request<string>("eth_chainId"));
    const transactor = new Transactor(rpc, { chainId, gasLimit: 1_000_000n, confirmations: 1, pollIntervalMs: 250, timeoutMs: 120_000 });
    return new RegistryAdministration(transactor, new Wallet(registrarKey), addresses.TraceGateRegistry);
  }

  registerOrganisation({ id, kind }: Organisation): Promise<void> {
    return this.administer("registerOrganisation", [encodeId(id), enumIndex(ORG_KINDS, kind)]);
  }

  registerMember(account: string, org: Id, role: Role): Promise<void> {
    return this.administer("registerMember", [account, encodeId(org), enumIndex(ROLES, role)]);
  }

  /** Takes `account` out of its organisation: every action it sends afterwards is refused (NOT_AUTHORIZED). */
  removeMember(account: string): Promise<void> {
    return this.administer("removeMember", [account]);
  }

  registerFacility({ id, kind, operator }: Facility): Promise<void> {
    return this.administer("registerFacility", [encodeId(id), enumIndex(FACILITY_KINDS, kind), encodeId(operator)]);
  }

  private async administer(name: string, args: unknown[]): Promise<void> {
    try {
      await this.transactor.send(this.registrar, this.registry, contractInterface("TraceGateRegistry").encodeFunctionData(name, args));
    } catch (error) {
      if (error instanceof TransactionReverted && error.data !== undefined) throw decodeRevert(error.data, new OrganisationDirectory());
      throw error;
    }
  }
}
