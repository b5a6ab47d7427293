import { describe, expect, it } from "vitest";
import { TraceGateError, type Action, type Actor, type LedgerTime } from "../domain/index.js";
import { DomainLedger } from "./conformance/domain-ledger.js";
import { runVector } from "./conformance/runner.js";
import { decodeVectorFile, loadSetups, loadVectors } from "./conformance/vectors.js";

describe("conformance vectors on the domain ledger", () => {
  for (const vector of loadVectors()) {
    it(`${vector.file}: ${vector.name}`, async () => {
      const ledger = new DomainLedger();
      try {
        await runVector(vector, ledger);
      } finally {
        await ledger.close();
      }
    });
  }
});

const setups = loadSetups();
const declare = {
  type: "declare",
  lot: "AP-FAB-1",
  goods: { material: "FAB-COT", hsCode: "52085200", unit: "MTR", quantity: "1000" },
  direction: "IMPORT",
  preferenceClaimed: false,
  permitRequired: false,
  declaration: "@decl-ap-imp",
};

describe("the vector loader", () => {
  const load = (step: object) => () => decodeVectorFile("typo.json", [{ name: "a malformed vector", setup: "standard", steps: [step] }], setups);

  it("accepts a well-formed vector", () => {
    expect(load({ actor: "AN-PHAT/OPERATOR", action: declare, expect: { ok: true } })()).toHaveLength(1);
  });

  it.each([
    ["a misspelt key", { ...declare, goods: { ...declare.goods, quantiy: "1" } }, { ok: true }, /steps\[0\]\.action\.goods: unknown key "quantiy"/],
    [
      "a number where a decimal string belongs",
      { ...declare, goods: { ...declare.goods, quantity: 1000 } },
      { ok: true },
      /steps\[0\]\.action\.goods\.quantity: expected a decimal string/,
    ],
    ["an unknown action type", { ...declare, type: "declar" }, { ok: true }, /steps\[0\]\.action\.type: expected one of declare/],
    [
      "a seal's deadline as a number",
      { type: "seal", lot: "AP-FAB-1", facility: "VNLSN-DDBW", seal: "ESEAL-1", deadline: 1800086400, transit: "@transit-ap-imp" },
      { ok: true },
      /steps\[0\]\.action\.deadline: expected a decimal string/,
    ],
    [
      "a seal's transit naming no setup document",
      { type: "seal", lot: "AP-FAB-1", facility: "VNLSN-DDBW", seal: "ESEAL-1", deadline: "1800086400", transit: "@transit-typo" },
      { ok: true },
      /steps\[0\]\.action\.transit: expected the name of a setup document/,
    ],
    ["an unknown lot field", declare, { ok: true, lots: { "AP-FAB-1": { sealed: "ESEAL-1" } } }, /steps\[0\]\.expect\.lots\.AP-FAB-1: unknown key "sealed"/],
    [
      "an unknown setup document",
      { ...declare, declaration: "@decl-typo" },
      { ok: true },
      /steps\[0\]\.action\.declaration: expected the name of a setup document/,
    ],
    ["an unknown error code", declare, { error: "NOT_AUTHORISED" }, /steps\[0\]\.expect\.error: expected one of INVALID_ARGUMENT/],
    ["an unknown lot field", declare, { ok: true, lots: { "AP-FAB-1": { stat: "DECLARED" } } }, /steps\[0\]\.expect\.lots\.AP-FAB-1: unknown key "stat"/],
    ["an event key of another event type", declare, { ok: true, event: { document: {} } }, /steps\[0\]\.expect\.event: unknown key "document"/],
  ])("rejects %s, naming the file, vector and path", (_what, action, expectation, message) => {
    expect(load({ actor: "AN-PHAT/OPERATOR", action, expect: expectation })).toThrow(/^typo\.json: vector 0 "a malformed vector": /);
    expect(load({ actor: "AN-PHAT/OPERATOR", action, expect: expectation })).toThrow(message);
  });

  it("rejects an actor role the organisation's kind does not have", () => {
    expect(load({ actor: "AN-PHAT/OFFICER", action: declare, expect: { ok: true } })).toThrow(
      /steps\[0\]\.actor: expected a role a ENTERPRISE organisation has/,
    );
  });
});

/** Accepts every hold, then claims to have refused it: a ledger that changes state on a refusal. */
class LeakyLedger extends DomainLedger {
  override async submit(actor: Actor, action: Action, time: LedgerTime) {
    const event = await super.submit(actor, action, time);
    if (action.type === "hold") throw new TraceGateError("REASON_REQUIRED", "pretends the reason is missing");
    return event;
  }
}

describe("the conformance runner", () => {
  const vectorHolding = (expectation: object) =>
    decodeVectorFile(
      "runner.json",
      [
        {
          name: "hold after arrival",
          setup: "standard",
          steps: [
            { actor: "AN-PHAT/OPERATOR", action: declare, expect: { ok: true } },
            { actor: "VNCUSTOMS/OFFICER", action: { type: "arrive", lot: "AP-FAB-1", facility: "VNLSN-HUUNGHI" }, expect: { ok: true } },
            { actor: "VNCUSTOMS/OFFICER", action: { type: "hold", lot: "AP-FAB-1", reason: "kiểm tra" }, expect: expectation },
          ],
        },
      ],
      setups,
    )[0]!;

  it("reports a refusal that changed the ledger", async () => {
    await expect(runVector(vectorHolding({ error: "REASON_REQUIRED" }), new LeakyLedger())).rejects.toThrow(
      /hold after arrival: steps\[2\] hold by VNCUSTOMS\/OFFICER: refused with REASON_REQUIRED but changed the ledger\n\s+ledger\.lots\.AP-FAB-1\.state: expected "ARRIVED", got "HELD"/,
    );
  });

  it("reports an acceptance where a refusal was expected", async () => {
    await expect(runVector(vectorHolding({ error: "NOT_AUTHORIZED" }), new DomainLedger())).rejects.toThrow(
      /steps\[2\] hold by VNCUSTOMS\/OFFICER: expected error NOT_AUTHORIZED, but it was accepted/,
    );
  });

  it("reports another error code than the one expected", async () => {
    await expect(runVector(vectorHolding({ error: "NOT_AUTHORIZED" }), new LeakyLedger())).rejects.toThrow(
      /expected error NOT_AUTHORIZED, got error REASON_REQUIRED/,
    );
  });

  it("reports each field that differs from a partial expectation, naming setup hashes", async () => {
    const vector = vectorHolding({ ok: true, lots: { "AP-FAB-1": { state: "HELD", priorState: "DECLARED" } }, event: { documents: ["@decl-ap-imp"] } });
    await expect(runVector(vector, new DomainLedger())).rejects.toThrow(
      /accepted, but\n\s+lots\.AP-FAB-1\.priorState: expected "DECLARED", got "ARRIVED"\n\s+event\.documents: expected \["@decl-ap-imp"\], got \[\]/,
    );
  });
});
