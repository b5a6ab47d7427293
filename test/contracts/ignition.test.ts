import { describe, expect, it } from "vitest";
import { deployTraceGate } from "./fixture.js";

describe("the Ignition module product/chain/ignition/TraceGate.ts", () => {
  it("deploys the registry administered by the deployer and the custody contract wired to it", async () => {
    const { connection, registry, custody, signers } = await deployTraceGate();
    try {
      const deployer = signers[0]!.address;
      expect(await custody.registry!()).toBe(await registry.getAddress());
      expect(await registry.hasRole!(await registry.DEFAULT_ADMIN_ROLE!(), deployer)).toBe(true);
      expect(await registry.hasRole!(await registry.REGISTRAR_ROLE!(), deployer)).toBe(true);
      // AccessControlDefaultAdminRules: one admin, handed over no sooner than 3 days after it is offered.
      expect(await registry.defaultAdmin!()).toBe(deployer);
      expect(await registry.defaultAdminDelay!()).toBe(3n * 24n * 3600n);
    } finally {
      await connection.close();
    }
  });

  it("hands the administration to the account given as the admin parameter, with the adminDelay given", async () => {
    const connection = await (await import("hardhat")).default.network.create();
    const [deployer, customs] = await connection.ethers.getSigners();
    await connection.close();
    const { connection: deployed, registry, custody } = await deployTraceGate({ admin: customs!.address, adminDelay: 7 * 24 * 3600 });
    try {
      expect(await registry.defaultAdmin!()).toBe(customs!.address);
      expect(await registry.defaultAdminDelay!()).toBe(7n * 24n * 3600n);
      expect(await custody.registry!()).toBe(await registry.getAddress());
      expect(await registry.hasRole!(await registry.REGISTRAR_ROLE!(), customs!.address)).toBe(true);
      expect(await registry.hasRole!(await registry.DEFAULT_ADMIN_ROLE!(), customs!.address)).toBe(true);
      expect(await registry.hasRole!(await registry.REGISTRAR_ROLE!(), deployer!.address)).toBe(false);
    } finally {
      await deployed.close();
    }
  });
});
