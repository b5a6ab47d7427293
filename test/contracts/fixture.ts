/** A fresh in-process chain with TraceGate deployed by its Ignition module, for contract tests. */
import type { Contract, ContractTransactionResponse } from "ethers";
import TraceGateModule from "../../product/chain/ignition/TraceGate.js";
import { contractInterface, revertDataOf } from "../../sdk/evm/codec.js";

/** `parameters` are the Ignition module's (`admin`, `adminDelay` in seconds); unset, its defaults. */
export async function deployTraceGate(parameters?: { admin?: string; adminDelay?: number }) {
  const connection = await (await import("hardhat")).default.network.create();
  const deployed = await connection.ignition.deploy(TraceGateModule, parameters && { parameters: { TraceGate: parameters } });
  const registry: Contract = deployed.registry;
  const custody: Contract = deployed.custody;
  return { connection, ethers: connection.ethers, registry, custody, signers: await connection.ethers.getSigners() };
}

/** Awaits a transaction (or call) and its receipt. */
export async function mined(sent: Promise<ContractTransactionResponse>) {
  const receipt = await (await sent).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt;
}

/** The name of the custom error `action` reverts with (it must revert). */
export async function revertName(action: Promise<unknown>): Promise<string> {
  try {
    await action;
  } catch (error) {
    const data = revertDataOf(error);
    if (data === undefined) throw error;
    for (const name of ["TraceGateRegistry", "CustodyRegistry"] as const) {
      const parsed = contractInterface(name).parseError(data);
      if (parsed !== null) return parsed.name;
    }
    return `unknown revert ${data}`;
  }
  throw new Error("expected a revert, but it succeeded");
}
