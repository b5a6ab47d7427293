/**
 * What the conformance vectors do not reach: the registry's administration, identities from
 * certificates and MSPs, malformed JSON arguments, the lot as written (a deadline as a decimal string), and
 * the lot history read from the key history.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { TraceGateError, type Actor } from "../../domain/index.js";
import { decodeJson, decodeOptional, encodeJson, lotHistoryShape, organisationShape } from "../../chaincode/src/codec.js";
import { FabricConformanceLedger } from "../conformance/fabric-ledger.js";
import { actionVector } from "../conformance/vectors.js";
import { certificateAuthority, memberIdentity } from "../../scripts/harness/fabric/identities.js";
import { FabricNetwork, mspOf } from "../../scripts/harness/fabric/network.js";

const admin: Actor = { org: "VNCUSTOMS", role: "ADMIN" };
const officer: Actor = { org: "VNCUSTOMS", role: "OFFICER" };

/** A vector whose setup and first steps (declare, arrive, hold of lot AP-FAB-1) the tests start from. */
const vector = actionVector("customs holds an arrived lot with a reason and unhold returns it to ARRIVED");
const seal = { type: "seal", lot: "AP-FAB-1", facility: "VNLSN-DDBW", seal: "ESEAL-1", deadline: "1800086400", transit: `0x${"ab".repeat(32)}` };

describe("the TraceGate chaincode", () => {
  let network: FabricNetwork;

  beforeAll(async () => {
    network = await FabricNetwork.start();
  });

  async function registered(): Promise<FabricConformanceLedger> {
    const ledger = new FabricConformanceLedger(network);
    await ledger.register(vector.organisations, vector.facilities);
    return ledger;
  }

  const submit = (actor: Actor, name: string, args: string[]) => network.client.submit(network.identityOf(actor), name, args);
  const evaluate = (actor: Actor, name: string, args: string[]) => network.client.evaluate(network.identityOf(actor), name, args);

  async function refusal(attempt: Promise<unknown>): Promise<string> {
    const error = await attempt.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TraceGateError);
    return (error as TraceGateError).code;
  }

  describe("registry", () => {
    it("is initialised once, by an ADMIN, for the caller's own MSP", async () => {
      network.peer.restore(network.genesis);
      expect(await refusal(submit(officer, "InitLedger", ["VNCUSTOMS"]))).toBe("NOT_AUTHORIZED");
      await submit(admin, "InitLedger", ["VNCUSTOMS"]);
      expect(decodeOptional(organisationShape, await evaluate(officer, "ReadOrganisation", ["VNCUSTOMS"]))).toEqual({ id: "VNCUSTOMS", kind: "CUSTOMS" });
      expect(await refusal(submit({ org: "INTRUDER", role: "ADMIN" }, "InitLedger", ["INTRUDER"]))).toBe("NOT_AUTHORIZED");
    });

    it("is administered by customs ADMINs only", async () => {
      await registered();
      expect(await refusal(submit(officer, "RegisterOrganisation", ["NEWCO", "ENTERPRISE", "NEWCOMSP"]))).toBe("NOT_AUTHORIZED");
      expect(await refusal(submit({ org: "AN-PHAT", role: "OPERATOR" }, "RegisterFacility", ["VNXXX-1", "FACTORY", "AN-PHAT"]))).toBe("NOT_AUTHORIZED");
      await submit(admin, "RegisterOrganisation", ["NEWCO", "ENTERPRISE", "NEWCOMSP"]);
      expect(decodeOptional(organisationShape, await evaluate(officer, "ReadOrganisation", ["NEWCO"]))).toEqual({ id: "NEWCO", kind: "ENTERPRISE" });
    });

    it("refuses second registrations with ALREADY_REGISTERED, facilities of unknown operators with UNKNOWN_ORGANISATION", async () => {
      await registered();
      expect(await refusal(submit(admin, "RegisterOrganisation", ["AN-PHAT", "ENTERPRISE", "OTHERMSP"]))).toBe("ALREADY_REGISTERED");
      expect(await refusal(submit(admin, "RegisterOrganisation", ["NEWCO", "ENTERPRISE", mspOf("AN-PHAT")]))).toBe("ALREADY_REGISTERED");
      expect(await refusal(submit(admin, "RegisterFacility", ["VNLSN-HUUNGHI", "BORDER_GATE", "VNCUSTOMS"]))).toBe("ALREADY_REGISTERED");
      expect(await refusal(submit(admin, "RegisterFacility", ["VNLSN-HUUNGHI", "BORDER_GATE", "NOBODY"]))).toBe("ALREADY_REGISTERED");
      expect(await refusal(submit(admin, "RegisterFacility", ["VNXXX-1", "FACTORY", "NOBODY"]))).toBe("UNKNOWN_ORGANISATION");
    });

    it("refuses unknown kinds and malformed ids with INVALID_ARGUMENT", async () => {
      await registered();
      expect(await refusal(submit(admin, "RegisterOrganisation", ["NEWCO", "BANK", "NEWCOMSP"]))).toBe("INVALID_ARGUMENT");
      expect(await refusal(submit(admin, "RegisterOrganisation", ["has space", "ENTERPRISE", "NEWCOMSP"]))).toBe("INVALID_ARGUMENT");
      expect(await refusal(submit(admin, "RegisterOrganisation", ["NEWCO", "ENTERPRISE", "has space"]))).toBe("INVALID_ARGUMENT");
      expect(await refusal(submit(admin, "RegisterFacility", ["VNXXX-1", "SHIPYARD", "AN-PHAT"]))).toBe("INVALID_ARGUMENT");
    });
  });

  describe("identities", () => {
    it("refuses a certificate without a TraceGate role attribute", async () => {
      await registered();
      const noRole = memberIdentity(mspOf("VNCUSTOMS"), "no-role.vncustoms", {});
      expect(await refusal(network.client.submit(noRole, "Submit", [encodeJson({ type: "hold", lot: "AP-FAB-1", reason: "x" })]))).toBe("NOT_AUTHORIZED");
    });

    it("treats a channel member whose MSP is not registered as an outsider", async () => {
      await registered();
      const hold = encodeJson({ type: "hold", lot: "AP-FAB-1", reason: "x" });
      expect(await refusal(submit({ org: "STRANGER", role: "OFFICER" }, "Submit", [hold]))).toBe("UNKNOWN_LOT");
      const anchor = { type: "anchor", hash: `0x${"ab".repeat(32)}`, id: "X-1", kind: "MANIFEST", cid: "bafy", subjects: [] };
      expect(await refusal(submit({ org: "STRANGER", role: "SIGNER" }, "Submit", [encodeJson(anchor)]))).toBe("NOT_AUTHORIZED");
    });

    it("is refused at endorsement when its MSP is not a member of the channel", async () => {
      await registered();
      certificateAuthority("OUTSIDEMSP");
      const outsider = memberIdentity("OUTSIDEMSP", "officer.outside", { role: "OFFICER" });
      await expect(network.client.evaluate(outsider, "ReadOrganisation", ["VNCUSTOMS"])).rejects.toThrow(/access denied: MSP OUTSIDEMSP is not a member/);
    });
  });

  describe("arguments", () => {
    it.each([
      ["text that is not JSON", "{"],
      ["an unknown action type", encodeJson({ type: "teleport", lot: "AP-FAB-1" })],
      ["an unknown key", encodeJson({ type: "hold", lot: "AP-FAB-1", reason: "x", priority: 1 })],
      ["a missing key", encodeJson({ type: "hold", lot: "AP-FAB-1" })],
      ["a quantity as a JSON number", encodeJson({ ...vector.steps[0]!.action, goods: { material: "M", hsCode: "1", unit: "KG", quantity: 5 } })],
      ["a seal's deadline as a JSON number", encodeJson({ ...seal, deadline: 1_800_086_400 })],
      ["a seal's deadline that is not a whole number", encodeJson({ ...seal, deadline: "1.8e9" })],
      ["an unseal's seal check as text", encodeJson({ type: "unseal", lot: "AP-FAB-1", facility: "VNLSN-DDBW", sealIntact: "yes", reason: "" })],
      ["an alert of no known kind", encodeJson({ type: "alert", lot: "AP-FAB-1", seal: "ESEAL-1", alert: "TAMPERED", detail: "" })],
    ])("refuses %s with INVALID_ARGUMENT", async (_what, action) => {
      await registered();
      expect(await refusal(submit(officer, "Submit", [action]))).toBe("INVALID_ARGUMENT");
    });

    it("refuses a 90 KB reason (TEXT_TOO_LONG) and an argument larger than any valid action, and stores neither", async () => {
      const ledger = await registered();
      for (const { actor, action, time } of vector.setup) await ledger.submit(actor, action, time);
      for (const { actor, action, time } of vector.steps.slice(0, 2)) await ledger.submit(actor, action, time);
      expect(await refusal(submit(officer, "Submit", [encodeJson({ type: "hold", lot: "AP-FAB-1", reason: "x".repeat(90_000) })]))).toBe("TEXT_TOO_LONG");
      expect(await refusal(submit(officer, "Submit", [encodeJson({ type: "hold", lot: "AP-FAB-1", reason: "x".repeat(501) })]))).toBe("TEXT_TOO_LONG");
      expect(await refusal(submit(officer, "Submit", [`{"type":"hold","lot":"AP-FAB-1","reason":"x"}${" ".repeat(20_000)}`]))).toBe("TEXT_TOO_LONG");
      expect((await ledger.lot("AP-FAB-1"))?.state).toBe("ARRIVED");
    });

    it("refuses a malformed id or hash in a read", async () => {
      await registered();
      expect(await refusal(evaluate(officer, "ReadLot", [""]))).toBe("INVALID_ARGUMENT");
      expect(await refusal(evaluate(officer, "ReadDocument", ["0x12"]))).toBe("INVALID_ARGUMENT");
    });
  });

  it("writes a sealed lot's seal, destination and deadline, the deadline as a decimal string", async () => {
    const sealing = actionVector(
      "customs seals an arrived lot for a bonded warehouse: IN_TRANSIT under seal, still at the gate in customs' custody, until the warehouse's operator unseals it",
    );
    const ledger = new FabricConformanceLedger(network);
    await ledger.register(sealing.organisations, sealing.facilities);
    for (const { actor, action, time } of [...sealing.setup, ...sealing.steps.slice(0, 3)]) await ledger.submit(actor, action, time);
    const written = JSON.parse(await evaluate(officer, "ReadLot", ["AP-FAB-1"])) as Record<string, unknown>;
    expect(written).toMatchObject({ state: "IN_TRANSIT", seal: "ESEAL-VN-0042137", destination: "VNLSN-DDBW", deadline: "1800086400" });
  });

  it("reads a lot's history, newest first, from the ledger's key history", async () => {
    const ledger = await registered();
    const txIds: string[] = [];
    for (const { actor, action, time } of vector.setup) await ledger.submit(actor, action, time);
    for (const { actor, action, time } of vector.steps.slice(0, 3)) {
      txIds.push((await network.client.submit(network.identityOf(actor), "Submit", [encodeJson(action)], time)).txId);
    }
    const history = decodeJson(lotHistoryShape, await evaluate(officer, "ReadLotHistory", ["AP-FAB-1"]));
    expect(history.map(({ txId, time, lot }) => [txId, time, lot?.state])).toEqual([
      [txIds[2], vector.steps[2]!.time, "HELD"],
      [txIds[1], vector.steps[1]!.time, "ARRIVED"],
      [txIds[0], vector.steps[0]!.time, "DECLARED"],
    ]);
  });
});
