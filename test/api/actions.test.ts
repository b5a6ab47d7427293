/**
 * Custody actions through GraphQL over HTTP, on a live chain followed by the indexer: what each caller is
 * offered on lots in several states, accepted actions read back as the caller may see them, refusals as
 * typed errors that change nothing, and no way to act as anyone but the token's organisation and role.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaptureJobs } from "../../api/capture/jobs.js";
import { CannotActError, type CustodyWriter } from "../../api/capture/writer.js";
import { documentHash, type Actor } from "../../domain/index.js";
import { LedgerUnavailableError } from "../../sdk/ledger.js";
import { ANPHAT, ANPHAT_SIGNER, AUDITOR, CO_HASH, GATE, OFFICER, startActionsNetwork, TERMINAL, WAREHOUSE, type ActionsNetwork } from "./actions-network.js";

let network: ActionsNetwork;
beforeAll(async () => {
  network = await startActionsNetwork();
}, 120_000);
afterAll(async () => {
  await network?.close();
});

const AVAILABLE = `query($id: String!) { lot(id: $id) { state availableActions { action reasonRequired minimumParts facilities { id kind } documents { kind required } } } }`;
const RESULT = `eventId duplicate transaction event { kind actor reason transitions { lotId from to owner custodian quantity } }`;
const HOLD = `mutation($input: ReasonActionInput!) { hold(input: $input) { ${RESULT} } }`;

async function offered(actor: Actor, lot: string): Promise<string[]> {
  const response = await network.query(actor, AVAILABLE, { id: lot });
  expect(response.errors).toBeUndefined();
  return response.data!.lot.availableActions.map((option: { action: string }) => option.action);
}

async function stateOf(lot: string): Promise<string> {
  return (await network.query(AUDITOR, `{ lot(id: "${lot}") { state } }`)).data!.lot.state;
}

/** The one error of a response, with its code and reason. */
function refusal(response: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }) {
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors!;
  const { code, reason, nextStep } = error!.extensions ?? {};
  return { code, reason, nextStep, message: error!.message };
}

describe("availableActions", () => {
  it("offers each caller exactly what the custody table lets it do to the lot now", async () => {
    expect(await offered(OFFICER, "LOT-DECL")).toEqual(["arrive"]);
    expect(await offered(OFFICER, "LOT-GATE")).toEqual(["hold", "clear", "split", "seal"]);
    expect(await offered(OFFICER, "LOT-WH")).toEqual(["hold", "clear", "destroy"]);
    expect(await offered(OFFICER, "LOT-HELD")).toEqual(["unhold", "destroy"]);
    expect(await offered(OFFICER, "LOT-DONE")).toEqual([]);
    expect(await offered(TERMINAL, "LOT-WH")).toEqual(["split"]);
    expect(await offered(AUDITOR, "LOT-WH")).toEqual([]);
  });

  it("gives each form what it needs: the eligible facilities, a reason, the documents the lot requires", async () => {
    const options = async (actor: Actor, lot: string) => (await network.query(actor, AVAILABLE, { id: lot })).data!.lot.availableActions;
    const [arrive] = await options(OFFICER, "LOT-DECL");
    expect(arrive.facilities).toEqual([{ id: GATE, kind: "BORDER_GATE" }]);
    const gate = await options(OFFICER, "LOT-GATE");
    expect(gate.find((option: { action: string }) => option.action === "hold").reasonRequired).toBe(true);
    expect(gate.find((option: { action: string }) => option.action === "clear").documents).toEqual([
      { kind: "CO", required: true },
      { kind: "PERMIT", required: false },
    ]);
    expect(gate.find((option: { action: string }) => option.action === "split").minimumParts).toBe(2);
    // A seal names where the lot goes (a warehouse, not the gate it is at) and its transit declaration.
    const seal = gate.find((option: { action: string }) => option.action === "seal");
    expect([seal.facilities, seal.documents]).toEqual([[{ id: WAREHOUSE, kind: "WAREHOUSE" }], [{ kind: "TRANSIT", required: true }]]);
  });

  it("is the same for a page of lots as lot by lot", async () => {
    const page = await network.query(OFFICER, `{ lots(first: 20) { edges { node { id availableActions { action facilities { id } } } } } }`);
    expect(page.errors).toBeUndefined();
    for (const { node } of page.data!.lots.edges) {
      expect(node.availableActions, node.id).toEqual(
        (await network.query(OFFICER, `{ lot(id: "${node.id}") { availableActions { action facilities { id } } } }`)).data!.lot.availableActions,
      );
    }
    expect(page.data!.lots.edges.map(({ node }: { node: { availableActions: unknown[] } }) => node.availableActions.length)).toEqual([1, 0, 4, 2, 3, 3]);
  });

  it("is empty where this node holds no key for the caller, and on an API without a writer", async () => {
    // The rules would let AN-PHAT split its lot, but the writer holds no key for it.
    expect(await offered(ANPHAT, "LOT-WH")).toEqual([]);
    const readOnly = await network.queryReadOnly(OFFICER, AVAILABLE, { id: "LOT-WH" });
    expect(readOnly.data!.lot.availableActions).toEqual([]);
  });
});

describe("custody mutations", () => {
  it("an officer's hold is accepted, recorded as the token's organisation, and read back from the index", async () => {
    const response = await network.query(OFFICER, HOLD, {
      input: { lot: "LOT-WH", reason: "seal broken", eventId: "urn:uuid:6d1c3c1e-0001-4000-8000-000000000001" },
    });
    expect(response.errors).toBeUndefined();
    const result = response.data!.hold;
    expect(result).toMatchObject({ eventId: "urn:uuid:6d1c3c1e-0001-4000-8000-000000000001", duplicate: false });
    expect(result.transaction).toMatch(/^0x[0-9a-f]{64}$/);
    expect(result.event).toMatchObject({
      kind: "hold",
      actor: "VNCUSTOMS",
      reason: "seal broken",
      transitions: [{ lotId: "LOT-WH", from: "IN_WAREHOUSE", to: "HELD" }],
    });
    expect(await stateOf("LOT-WH")).toBe("HELD");
    expect(await offered(OFFICER, "LOT-WH")).toEqual(["unhold", "destroy"]);
  });

  it("makes an event id when none is sent, and reports the same id again as a duplicate, applied once", async () => {
    const UNHOLD = `mutation($input: LotActionInput!) { unhold(input: $input) { ${RESULT} } }`;
    const first = await network.query(OFFICER, UNHOLD, { input: { lot: "LOT-WH" } });
    expect(first.errors).toBeUndefined();
    expect(first.data!.unhold.eventId).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(await stateOf("LOT-WH")).toBe("IN_WAREHOUSE");
    const again = await network.query(OFFICER, UNHOLD, { input: { lot: "LOT-WH", eventId: first.data!.unhold.eventId } });
    expect(again.errors).toBeUndefined();
    expect(again.data!.unhold).toEqual({ eventId: first.data!.unhold.eventId, duplicate: true, transaction: null, event: null });
    expect(await stateOf("LOT-WH")).toBe("IN_WAREHOUSE");
  });

  it("a refused action answers REFUSED with the ledger's code and what to do, and changes nothing", async () => {
    const acted = network.writer.acted.length;
    const response = await network.query(OFFICER, HOLD, { input: { lot: "LOT-DECL", reason: "too early" } });
    const { code, reason, nextStep, message } = refusal(response);
    expect({ code, reason, nextStep }).toEqual({
      code: "REFUSED",
      reason: "ILLEGAL_TRANSITION",
      nextStep: "look up the lot's current state; this action is not allowed from it",
    });
    // The ledger's own words (the EVM names its revert), without the code, ending with what to do next.
    expect(message).toMatch(
      /^the ledger refused this hold of LOT-DECL: (?!ILLEGAL_TRANSITION).*DECLARED.*\(look up the lot's current state; this action is not allowed from it\)$/,
    );
    expect(await stateOf("LOT-DECL")).toBe("DECLARED");
    expect((await network.ledger.lot("LOT-DECL"))!.state).toBe("DECLARED");
    expect(network.writer.acted).toHaveLength(acted);

    const clear = await network.query(OFFICER, `mutation { clear(input: { lot: "LOT-GATE" }) { duplicate } }`);
    expect(refusal(clear)).toMatchObject({ code: "REFUSED", reason: "DOCUMENT_REQUIRED" });
    expect(await stateOf("LOT-GATE")).toBe("ARRIVED");
    const cleared = await network.query(OFFICER, `mutation($co: String) { clear(input: { lot: "LOT-GATE", co: $co }) { event { kind documents { kind } } } }`, {
      co: CO_HASH,
    });
    expect(cleared.errors).toBeUndefined();
    expect(cleared.data!.clear.event.documents.map((document: { kind: string }) => document.kind)).toEqual(["DECLARATION", "CO"]);
  });

  it("acts only as the token's organisation and role: the input cannot name another, and the rules judge the caller", async () => {
    const named = await network.query(TERMINAL, `mutation { hold(input: { lot: "LOT-WH2", reason: "x", org: "VNCUSTOMS", role: "OFFICER" }) { duplicate } }`);
    expect(named.errors!.map((error) => error.extensions?.code)).toEqual(["GRAPHQL_VALIDATION_FAILED", "GRAPHQL_VALIDATION_FAILED"]);
    expect(named.errors!.map((error) => error.message).join()).toMatch(/"org" is not defined.*"role" is not defined/);
    const asItself = await network.query(TERMINAL, HOLD, { input: { lot: "LOT-WH2", reason: "x" } });
    expect(refusal(asItself)).toMatchObject({
      code: "REFUSED",
      reason: "NOT_AUTHORIZED",
      message: expect.stringMatching(/^the ledger refused this hold of LOT-WH2: .*\(act with an account of the organisation and role that the rule names\)$/),
    });
    // No key for AN-PHAT on this node: FORBIDDEN, and the ledger is never asked.
    const acted = network.writer.acted.length;
    const noKey = await network.query(
      ANPHAT,
      `mutation { split(input: { lot: "LOT-WH2", parts: [{ lot: "LOT-WH2A", quantity: "500" }, { lot: "LOT-WH2B", quantity: "500" }] }) { duplicate } }`,
    );
    expect(refusal(noKey)).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("no ledger key for AN-PHAT as OPERATOR") });
    const readOnly = await network.queryReadOnly(OFFICER, HOLD, { input: { lot: "LOT-WH2", reason: "x" } });
    expect(refusal(readOnly)).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("only reads") });
    expect(network.writer.acted).toHaveLength(acted);
    expect(await stateOf("LOT-WH2")).toBe("IN_WAREHOUSE");
  });

  it("answers bad input with BAD_USER_INPUT or a refusal, never INTERNAL, and changes nothing", async () => {
    const acted = network.writer.acted.length;
    const split = (parts: string) => `mutation { split(input: { lot: "LOT-WH2", parts: ${parts} }) { duplicate } }`;
    const cases: Array<[Actor, string, Record<string, unknown>]> = [
      [TERMINAL, split(`[{ lot: "A", quantity: "-5" }, { lot: "B", quantity: "1005" }]`), { code: "BAD_USER_INPUT", reason: "INVALID_QUANTITY" }],
      [TERMINAL, split(`[{ lot: "A", quantity: "1.5" }, { lot: "B", quantity: "998" }]`), { code: "BAD_USER_INPUT" }],
      [TERMINAL, split(`[{ lot: "A", quantity: "500" }, { lot: "has space", quantity: "500" }]`), { code: "BAD_USER_INPUT", reason: "INVALID_ARGUMENT" }],
      [TERMINAL, split(`[{ lot: "A", quantity: "500" }]`), { code: "BAD_USER_INPUT", reason: "INVALID_ARGUMENT" }],
      [TERMINAL, split(`[{ lot: "A", quantity: "500" }, { lot: "B", quantity: "499" }]`), { code: "REFUSED", reason: "QUANTITY_NOT_CONSERVED" }],
      [OFFICER, `mutation { hold(input: { lot: "NO-SUCH-LOT", reason: "x" }) { duplicate } }`, { code: "REFUSED", reason: "UNKNOWN_LOT" }],
      [OFFICER, `mutation { hold(input: { lot: "LOT-WH2", reason: "" }) { duplicate } }`, { code: "BAD_USER_INPUT", reason: "REASON_REQUIRED" }],
      [
        OFFICER,
        `mutation { hold(input: { lot: "LOT-WH2", reason: "${"é".repeat(251)}" }) { duplicate } }`,
        { code: "BAD_USER_INPUT", reason: "TEXT_TOO_LONG" },
      ],
      [OFFICER, `mutation { clear(input: { lot: "LOT-WH2", co: "not-a-hash" }) { duplicate } }`, { code: "BAD_USER_INPUT", reason: "INVALID_ARGUMENT" }],
      [OFFICER, `mutation { hold(input: { lot: "LOT-WH2", reason: "x", eventId: "has a space" }) { duplicate } }`, { code: "BAD_USER_INPUT" }],
      [OFFICER, `mutation { hold(input: { lot: "LOT-WH2", reason: "x", eventId: "urn:x:${"a".repeat(507)}" }) { duplicate } }`, { code: "BAD_USER_INPUT" }],
      // A content hash names one event's content: the node makes this event, so it cannot be its own.
      [
        OFFICER,
        `mutation { hold(input: { lot: "LOT-WH2", reason: "x", eventId: "ni:///sha-256;${"ab".repeat(32)}?ver=CBV2.0" }) { duplicate } }`,
        { code: "BAD_USER_INPUT", message: expect.stringContaining("give a urn:uuid:") },
      ],
      [OFFICER, `mutation { hold(input: { lot: "LOT-WH2", reason: "x", eventId: "NI:x" }) { duplicate } }`, { code: "BAD_USER_INPUT" }],
      [OFFICER, `mutation { store(input: { lot: "LOT-WH2", facility: "NOWHERE" }) { duplicate } }`, { code: "REFUSED", reason: "UNKNOWN_FACILITY" }],
      [
        OFFICER,
        `mutation { declare(input: { lot: "NEW-1", material: "M", hsCode: "1", unit: "KGM", quantity: "1", direction: IMPORT, declaration: "${CO_HASH}" }) { duplicate } }`,
        { code: "REFUSED", reason: "NOT_AUTHORIZED" },
      ],
    ];
    for (const [actor, query, expected] of cases) {
      const response = await network.query(actor, query);
      expect(refusal(response), query).toMatchObject(expected);
      expect(response.data ?? null, query).toBeNull();
    }
    expect(network.writer.acted).toHaveLength(acted);
    expect(await stateOf("LOT-WH2")).toBe("IN_WAREHOUSE");
    expect((await network.query(AUDITOR, `{ lots(filter: { state: HELD }) { edges { node { id } } } }`)).data!.lots.edges).toEqual([
      { node: { id: "LOT-HELD" } },
    ]);
  });

  it("tells a caller who may not see a lot no more than that: not whether it exists, nor its state", async () => {
    // TERMINAL may see neither the lot at the customs gate (customs holds it) nor a lot that does not exist.
    for (const lot of ["LOT-GATE", "NO-SUCH-LOT"]) {
      const response = await network.query(TERMINAL, `mutation { store(input: { lot: "${lot}", facility: "${GATE}" }) { duplicate } }`);
      const { code, reason, message } = refusal(response);
      expect({ code, reason }).toEqual({ code: "FORBIDDEN", reason: undefined });
      expect(message).not.toContain(lot);
    }
    // A taken lot id it may not see is no different.
    const taken = await network.query(
      TERMINAL,
      `mutation { split(input: { lot: "LOT-WH2", parts: [{ lot: "LOT-GATE", quantity: "500" }, { lot: "LOT-NEW", quantity: "500" }] }) { duplicate } }`,
    );
    expect(refusal(taken).code).toBe("FORBIDDEN");
    // A declaration of an id nobody took is the sender's own lot to be: it hears why it was refused.
    const declared = await network.query(
      TERMINAL,
      `mutation { declare(input: { lot: "LOT-FREE", material: "M", hsCode: "1", unit: "KGM", quantity: "1", direction: IMPORT, declaration: "${CO_HASH}" }) { duplicate } }`,
    );
    expect(refusal(declared)).toMatchObject({ code: "REFUSED", reason: "NOT_AUTHORIZED" });
  });

  it("reads the result back as the caller may see it: a warehouse that releases a lot no longer sees it", async () => {
    const cleared = await network.query(OFFICER, `mutation { clear(input: { lot: "LOT-WH2" }) { duplicate } }`);
    expect(cleared.errors).toBeUndefined();
    expect(await offered(TERMINAL, "LOT-WH2")).toEqual(["release", "split"]);
    const released = await network.query(TERMINAL, `mutation { release(input: { lot: "LOT-WH2" }) { ${RESULT} } }`);
    expect(released.errors).toBeUndefined();
    expect(released.data!.release.event).toEqual({ kind: "release", actor: "SAIGON-TERMINAL", reason: null, transitions: [] });
    const text = JSON.stringify(released);
    for (const secret of ["AN-PHAT", "FAB-COT", "1000"]) expect(text).not.toContain(secret);
    expect(await stateOf("LOT-WH2")).toBe("RELEASED");
    // The owner sees the whole event in its lot's history.
    const history = await network.query(AUDITOR, `{ lot(id: "LOT-WH2") { custodian history(last: 1) { edges { node { kind actor } } } } }`);
    expect(history.data!.lot).toEqual({ custodian: "AN-PHAT", history: { edges: [{ node: { kind: "release", actor: "SAIGON-TERMINAL" } }] } });
  });

  it("answers a ledger out of reach LEDGER_UNAVAILABLE, a key withdrawn FORBIDDEN, anything else INTERNAL without detail", async () => {
    const failing = (error: Error): CustodyWriter => ({ canActAs: () => true, act: () => Promise.reject(error) });
    const cases: Array<[Error, string, RegExp]> = [
      [new LedgerUnavailableError("connect ECONNREFUSED 10.0.0.7:8545"), "LEDGER_UNAVAILABLE", /send it again with the same eventId/],
      [new CannotActError(OFFICER), "FORBIDDEN", /no ledger key for VNCUSTOMS as OFFICER/],
      [new Error("disk on fire at /var/lib/tracegate"), "INTERNAL", /^internal error$/],
    ];
    for (const [error, code, message] of cases) {
      const { query } = await network.serve(failing(error));
      const response = await query(OFFICER, HOLD, { input: { lot: "LOT-WH2", reason: "x" } });
      expect(refusal(response)).toMatchObject({ code, message: expect.stringMatching(message) });
      expect(JSON.stringify(response)).not.toContain("10.0.0.7");
      expect(JSON.stringify(response)).not.toContain("/var/lib");
    }
    expect(network.internalErrors).toHaveLength(1);
  });

  it("tells a caller whose action outlives the deadline that it may still be applied, and how to learn", async () => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const slow: CustodyWriter = {
      canActAs: () => true,
      act: async (_actor, _action, eventId) => {
        await finished;
        return { status: "duplicate", eventId };
      },
    };
    const { query } = await network.serve(slow, { executionTimeoutMs: 100 });
    const response = await query(OFFICER, HOLD, { input: { lot: "LOT-WH2", reason: "x" } });
    finish();
    expect(refusal(response)).toMatchObject({ code: "TIMEOUT", message: expect.stringContaining("may still be applied: send it again with the same eventId") });
  });

  it("is held to the depth and cost limits before anything is done", async () => {
    const acted = network.writer.acted.length;
    // LOT-GATE is CLEARED: a hold that ran would be accepted.
    expect(await stateOf("LOT-GATE")).toBe("CLEARED");
    const deep = `mutation { hold(input: { lot: "LOT-GATE", reason: "x" }) { event { transitions { lot { history { edges { node { transitions { lot { history { edges { node { transitions { lotId } } } } } } } } } } } } } }`;
    expect(refusal(await network.query(OFFICER, deep)).code).toBe("QUERY_TOO_DEEP");
    expect(network.writer.acted).toHaveLength(acted);
    expect(await stateOf("LOT-GATE")).toBe("CLEARED");
  });

  it("stops offering clearance once the lot's declaration is revoked, and the ledger refuses it", async () => {
    expect(await stateOf("LOT-WH")).toBe("IN_WAREHOUSE");
    const declaration = documentHash("declaration of LOT-WH");
    await network.ledger.submit(ANPHAT_SIGNER, { type: "revoke", hash: declaration, reason: "wrong HS code" });
    await expect
      .poll(async () => (await network.query(AUDITOR, `{ lot(id: "LOT-WH") { declaration { status } } }`)).data!.lot.declaration.status)
      .toBe("REVOKED");
    expect(await offered(OFFICER, "LOT-WH")).toEqual(["hold", "destroy"]);
    const clear = await network.query(OFFICER, `mutation { clear(input: { lot: "LOT-WH" }) { duplicate } }`);
    expect(refusal(clear)).toMatchObject({ code: "REFUSED", reason: "DOCUMENT_INVALID" });
  });

  it("through the node's capture service (the product's writer), the same eventId twice is applied once", async () => {
    const capture = await CaptureJobs.open({ db: network.store.db, ledger: network.ledger, signers: [OFFICER] });
    try {
      const { query } = await network.serve(capture);
      const UNHOLD = `mutation($input: LotActionInput!) { unhold(input: $input) { ${RESULT} } }`;
      const input = { lot: "LOT-HELD", eventId: "urn:uuid:6d1c3c1e-0002-4000-8000-000000000002" };
      const first = await query(OFFICER, UNHOLD, { input });
      expect(first.errors).toBeUndefined();
      expect(first.data!.unhold).toMatchObject({
        duplicate: false,
        event: { kind: "unhold", actor: "VNCUSTOMS", transitions: [{ lotId: "LOT-HELD", from: "HELD", to: "IN_WAREHOUSE" }] },
      });
      // Applied again, the unhold would be refused (the lot is no longer HELD): a duplicate proves it was not.
      const again = await query(OFFICER, UNHOLD, { input });
      expect(again.errors).toBeUndefined();
      expect(again.data!.unhold).toEqual({ eventId: input.eventId, duplicate: true, transaction: null, event: null });
      expect(await stateOf("LOT-HELD")).toBe("IN_WAREHOUSE");
      const refused = await query(OFFICER, HOLD, { input: { lot: "LOT-DECL", reason: "x" } });
      expect(refusal(refused)).toMatchObject({ code: "REFUSED", reason: "ILLEGAL_TRANSITION" });
    } finally {
      await capture.close();
    }
  });

  it("needs the CSRF header like every request", async () => {
    const response = await fetch(`${network.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "text/plain", authorization: `Bearer ${await network.token(OFFICER)}` },
      body: JSON.stringify({ query: `mutation { hold(input: { lot: "LOT-WH2", reason: "x" }) { duplicate } }` }),
    });
    expect(response.status).toBe(403);
    expect(await stateOf("LOT-WH2")).toBe("RELEASED");
  });
});
