import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys TraceGate: the registry (organisations, members, facilities, documents, batches, norms),
 * administered by `admin` (default: the deploying account), and the custody state machine wired to it.
 * The admin role passes to another account in two steps, the second no sooner than `adminDelay` seconds
 * after the first (default 3 days: time to see and cancel a transfer nobody meant).
 *
 *   npx hardhat ignition deploy product/chain/ignition/TraceGate.ts --parameters '{"TraceGate":{"admin":"0x…","adminDelay":259200}}'
 */
export default buildModule("TraceGate", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const adminDelay = m.getParameter("adminDelay", 3 * 24 * 3600);
  const registry = m.contract("TraceGateRegistry", [admin, adminDelay]);
  const custody = m.contract("CustodyRegistry", [registry]);
  return { registry, custody };
});
