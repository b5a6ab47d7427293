import { encodeBytes32String as id, ZeroHash, type Contract } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCUMENT_KINDS, FACILITY_KINDS, ISSUERS_BY_DOCUMENT_KIND, ORG_KINDS, ROLES, ROLES_BY_ORG_KIND } from "../../domain/index.js";
import { decodeRegistryEvent, type RegistryEvent } from "../../sdk/evm/codec.js";
import { deployTraceGate, mined, revertName } from "./fixture.js";

describe("the registry", () => {
  let fixture: Awaited<ReturnType<typeof deployTraceGate>>;
  let registry: Contract;
  beforeAll(async () => {
    fixture = await deployTraceGate();
    registry = fixture.registry;
  });
  afterAll(() => fixture.connection.close());

  const events = (receipt: { logs: readonly { topics: readonly string[]; data: string }[] }): RegistryEvent[] =>
    receipt.logs.flatMap((log) => decodeRegistryEvent(log) ?? []);

  it("lets only registrars register organisations, members and facilities", async () => {
    const [admin, outsider, deputy, member] = fixture.signers;
    const asOutsider = registry.connect(outsider!) as Contract;
    expect(await revertName(asOutsider.registerOrganisation!(id("ROGUE"), 1))).toBe("AccessControlUnauthorizedAccount");
    await mined(registry.registerOrganisation!(id("REG-ENT"), 1));
    expect(await revertName(asOutsider.registerMember!(member!.address, id("REG-ENT"), 3))).toBe("AccessControlUnauthorizedAccount");
    expect(await revertName(asOutsider.registerFacility!(id("REG-F"), 2, id("REG-ENT")))).toBe("AccessControlUnauthorizedAccount");

    await mined(registry.grantRole!(await registry.REGISTRAR_ROLE!(), deputy!.address));
    await mined((registry.connect(deputy!) as Contract).registerFacility!(id("REG-F"), 2, id("REG-ENT")));
    expect(await registry.hasRole!(await registry.DEFAULT_ADMIN_ROLE!(), admin!.address)).toBe(true);
  });

  it("hands the admin role over in two steps, accepted no sooner than the delay, and to one account only", async () => {
    const delay = 3600;
    const own = await deployTraceGate({ adminDelay: delay });
    try {
      const [admin, successor, outsider] = own.signers;
      const as = (signer: typeof admin) => own.registry.connect(signer!) as Contract;
      const ADMIN = await own.registry.DEFAULT_ADMIN_ROLE!();
      const REGISTRAR = await own.registry.REGISTRAR_ROLE!();
      // No second admin, granted or self-made; no transfer offered by anyone but the admin.
      expect(await revertName(own.registry.grantRole!(ADMIN, successor!.address))).toBe("AccessControlEnforcedDefaultAdminRules");
      expect(await revertName(as(outsider).beginDefaultAdminTransfer!(outsider!.address))).toBe("AccessControlUnauthorizedAccount");

      const offered = await mined(own.registry.beginDefaultAdminTransfer!(successor!.address));
      const offeredAt = (await own.ethers.provider.getBlock(offered.blockNumber))!.timestamp;
      expect(await own.registry.pendingDefaultAdmin!()).toEqual([successor!.address, BigInt(offeredAt + delay)]);
      expect(await revertName(as(successor).acceptDefaultAdminTransfer!())).toBe("AccessControlEnforcedDefaultAdminDelay");
      expect(await revertName(as(outsider).acceptDefaultAdminTransfer!())).toBe("AccessControlInvalidDefaultAdmin");

      await own.connection.provider.request({ method: "evm_setNextBlockTimestamp", params: [offeredAt + delay + 1] });
      await mined(as(successor).acceptDefaultAdminTransfer!());
      expect(await own.registry.defaultAdmin!()).toBe(successor!.address);
      expect(await own.registry.hasRole!(ADMIN, admin!.address)).toBe(false);
      // The new admin grants the registrar role; the old one no longer can.
      await mined(as(successor).grantRole!(REGISTRAR, outsider!.address));
      expect(await revertName(own.registry.grantRole!(REGISTRAR, successor!.address))).toBe("AccessControlUnauthorizedAccount");
    } finally {
      await own.connection.close();
    }
  });

  it("numbers organisations from 1 and says so in OrganisationRegistered, so events map numbers to ids", async () => {
    const first = events(await mined(registry.registerOrganisation!(id("NUM-A"), 3)));
    const second = events(await mined(registry.registerOrganisation!(id("NUM-B"), 0)));
    expect(first).toEqual([{ type: "organisationRegistered", id: "NUM-A", index: expect.any(Number), kind: "ISSUER" }]);
    const [a, b] = [first[0]!, second[0]!] as Extract<RegistryEvent, { type: "organisationRegistered" }>[];
    expect(b!.index).toBe(a!.index + 1);
    expect(await registry.organisation!(id("NUM-B"))).toEqual([BigInt(b!.index), 0n]);
    const member = fixture.signers[9]!.address;
    expect(events(await mined(registry.registerMember!(member, id("NUM-A"), 4)))).toEqual([
      { type: "memberRegistered", account: member, org: a!.index, role: "SIGNER" },
    ]);
    expect(events(await mined(registry.registerFacility!(id("NUM-GATE"), 0, id("NUM-B"))))).toEqual([
      { type: "facilityRegistered", id: "NUM-GATE", operator: b!.index, kind: "BORDER_GATE" },
    ]);
  });

  it("gives members only the roles their organisation's kind allows (ROLES_BY_ORG_KIND)", async () => {
    let account = 100;
    for (const [kindIndex, kind] of ORG_KINDS.entries()) {
      const org = id(`ROLES-${kind}`);
      await mined(registry.registerOrganisation!(org, kindIndex));
      for (const [roleIndex, role] of ROLES.entries()) {
        const allowed = ROLES_BY_ORG_KIND[kind].includes(role);
        expect(await registry.mayHold!(kindIndex, roleIndex), `${kind} ${role}`).toBe(allowed);
        const address = `0x${(account++).toString(16).padStart(40, "0")}`;
        const register = registry.registerMember!(address, org, roleIndex);
        if (allowed) await mined(register);
        else expect(await revertName(register), `${kind} ${role}`).toBe("RoleNotAllowed");
      }
    }
  });

  it("issues documents by the policy ISSUERS_BY_DOCUMENT_KIND", async () => {
    for (const [orgKindIndex, orgKind] of ORG_KINDS.entries()) {
      for (const [documentKindIndex, documentKind] of DOCUMENT_KINDS.entries()) {
        expect(await registry.mayIssue!(orgKindIndex, documentKindIndex), `${orgKind} ${documentKind}`).toBe(
          ISSUERS_BY_DOCUMENT_KIND[documentKind].includes(orgKind),
        );
      }
    }
  });

  it("refuses unknown organisations, second registrations and zero ids, with the domain's codes where it has them", async () => {
    const [, , , , someone, other] = fixture.signers;
    await mined(registry.registerOrganisation!(id("DUP-ENT"), 1));
    expect(await revertName(registry.registerOrganisation!(id("DUP-ENT"), 2))).toBe("AlreadyRegistered");
    expect(await revertName(registry.registerOrganisation!(ZeroHash, 1))).toBe("InvalidArgument");
    expect(await revertName(registry.registerMember!(someone!.address, id("NOBODY"), 3))).toBe("UnknownOrganisation");
    await mined(registry.registerMember!(someone!.address, id("DUP-ENT"), 3));
    expect(await revertName(registry.registerMember!(someone!.address, id("DUP-ENT"), 4))).toBe("MemberExists");
    expect(await revertName(registry.registerMember!(ZeroHash.slice(0, 42), id("DUP-ENT"), 4))).toBe("InvalidArgument");
    expect(await revertName(registry.registerFacility!(id("DUP-F"), FACILITY_KINDS.indexOf("FACTORY"), id("NOBODY")))).toBe("UnknownOrganisation");
    await mined(registry.registerFacility!(id("DUP-F"), 2, id("DUP-ENT")));
    expect(await revertName(registry.registerFacility!(id("DUP-F"), 2, id("DUP-ENT")))).toBe("AlreadyRegistered");
    // The id's uniqueness is checked before the operator, as in the domain.
    expect(await revertName(registry.registerFacility!(id("DUP-F"), 2, id("NOBODY")))).toBe("AlreadyRegistered");
    expect(await revertName(registry.registerFacility!(ZeroHash, 2, id("DUP-ENT")))).toBe("InvalidArgument");
    expect((await registry.member!(other!.address))[0]).toBe(0n);
  });

  it("removes a member: its next action is refused as an outsider's, what it did stays, and only registrars may remove", async () => {
    const [, outsider, , , , , signer] = fixture.signers;
    const org = id("RM-ISSUER");
    const organisation = events(await mined(registry.registerOrganisation!(org, ORG_KINDS.indexOf("ISSUER"))))[0] as Extract<
      RegistryEvent,
      { type: "organisationRegistered" }
    >;
    const SIGNER = ROLES.indexOf("SIGNER");
    await mined(registry.registerMember!(signer!.address, org, SIGNER));
    const asSigner = registry.connect(signer!) as Contract;
    const anchor = (n: number) => asSigner.anchor!(`0x${n.toString(16).padStart(64, "0")}`, id(`RM-CO-${n}`), DOCUMENT_KINDS.indexOf("CO"), "bafkqaaa", []);
    await mined(anchor(1));

    expect(await revertName((registry.connect(outsider!) as Contract).removeMember!(signer!.address))).toBe("AccessControlUnauthorizedAccount");
    expect(events(await mined(registry.removeMember!(signer!.address)))).toEqual([
      { type: "memberRemoved", account: signer!.address, org: organisation.index, role: "SIGNER" },
    ]);
    expect((await registry.member!(signer!.address))[0]).toBe(0n);
    expect(await revertName(anchor(2))).toBe("NotAuthorized");
    expect((await registry.document!(`0x${(1).toString(16).padStart(64, "0")}`)).issuer).toBe(BigInt(organisation.index));
    expect(await revertName(registry.removeMember!(signer!.address))).toBe("NotAMember");

    // A new role is a new registration.
    await mined(registry.registerMember!(signer!.address, org, SIGNER));
    await mined(anchor(3));
  });
});
