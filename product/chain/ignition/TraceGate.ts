import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys TraceGate: the registry (organisations, members, facilities, documents, batches, norms),
 * administered by `admin` (default: the deploying account), and the custody state machine wired to it.
 *
 *   npx hardhat ignition deploy product/chain/ignition/TraceGate.ts --parameters '{"TraceGate":{"admin":"0x…"}}'
 */
export default buildModule("TraceGate", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const registry = m.contract("TraceGateRegistry", [admin]);
  const custody = m.contract("CustodyRegistry", [registry]);
  return { registry, custody };
});
