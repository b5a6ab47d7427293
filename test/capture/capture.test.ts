/**
 * EPCIS 2.0 capture on the product's embedded default, over HTTP as a client sends it: jobs (rollback
 * and proceed), single events, exactly-once by eventID, who acts, limits and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash } from "../../domain/index.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { ledgerTimeIso } from "../../sdk/ledger-time.js";
import { LINGER_MS } from "../../sdk/lingering-close.js";
import { sendLarge } from "../support/large-body.js";
import { startCaptureProduct, epcis, type CaptureProduct } from "./capture-product.js";

let node: CaptureProduct;
let enterprise: string;
let warehouse: string;
let customs: string;
let lotCounter = 0;
const newLot = () => `CAP-LOT-${process.pid}-${(lotCounter += 1)}`;

beforeAll(async () => {
  node = await startCaptureProduct();
  enterprise = await node.token("AN-PHAT", "OPERATOR");
  warehouse = await node.token("SAIGON-TERMINAL", "OPERATOR");
  customs = await node.token("VNCUSTOMS", "OFFICER");
}, 120_000);
afterAll(async () => node?.stop(true));

async function post(path: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${node.product.apiUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/ld+json", authorization: `Bearer ${token}`, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

async function get(path: string, token: string) {
  const response = await fetch(`${node.product.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

/** Posts a document and waits for its job to end (the status says when), returning that status. */
async function capture(token: string, events: unknown[], behaviour?: string) {
  const accepted = await post("/epcis/capture", token, epcis.document(events), behaviour === undefined ? {} : { "GS1-Capture-Error-Behaviour": behaviour });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
  const location = accepted.headers.get("location")!;
  expect(location).toMatch(/^\/epcis\/capture\/[0-9a-f-]{36}$/);
  await node.product.ledger.embedded; // the job runs in the background; its status tells when it ends
  for (;;) {
    const status = await get(location, token);
    if (!status.body.running) return status.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const lotState = async (lot: string) => (await node.ledger.lot(lot))?.state;

describe("POST /epcis/capture", () => {
  it("applies a job of declarations in one go and reports every event accepted", async () => {
    const lots = [newLot(), newLot(), newLot()];
    const declarations = await Promise.all(lots.map((lot) => node.declaration(lot)));
    const status = await capture(
      enterprise,
      lots.map((lot, i) => epcis.declare(lot, 1000n, declarations[i]!, `urn:uuid:decl-${lot}`)),
    );
    expect(status.success).toBe(true);
    expect(status.events.map((event: { status: string }) => event.status)).toEqual(["accepted", "accepted", "accepted"]);
    expect(new Set(status.events.map((event: { transaction: string }) => event.transaction)).size).toBe(1);
    for (const lot of lots) expect(await lotState(lot)).toBe("DECLARED");
  });

  it("rollback (the default): one refused event applies nothing of the job", async () => {
    const [a, b] = [newLot(), newLot()];
    const [da, db] = [await node.declaration(a), await node.declaration(b)];
    const status = await capture(enterprise, [epcis.declare(a, 10n, da), epcis.declare(b, 10n, db)]);
    expect(status.success).toBe(true);
    // a is stored before it arrived: an illegal transition, refused by the ledger.
    const moves = await capture(warehouse, [epcis.at("storing", a, "VNSGN-BONDED-1")]);
    expect(moves.success, JSON.stringify(moves)).toBe(false);
    // The warehouse may not see a (AN-PHAT's, not in its custody): it is not told why, as for a lot that does not exist.
    expect(moves.events[0]).toMatchObject({ status: "refused", code: "NOT_AUTHORIZED", reason: expect.stringMatching(/may not see the lots/) });
    expect(JSON.stringify(moves.events[0])).not.toMatch(/DECLARED|ARRIVED|COTTON|\b10 KGM|ILLEGAL/);
    const customsJob = await capture(customs, [
      epcis.at("arriving", a, "VNSGN-CATLAI"),
      epcis.at("arriving", b, "VNSGN-CATLAI"),
      epcis.hold(a, "inspection"),
      { ...epcis.at("arriving", a, "VNSGN-CATLAI"), eventTime: "2026-12-01T11:00:00.000+07:00" },
    ]);
    expect(customsJob.success).toBe(false);
    expect(customsJob.errors).toEqual([expect.objectContaining({ position: 3, code: "ILLEGAL_TRANSITION" })]);
    // Customs sees every lot: its refusal says why, state and all.
    expect(customsJob.events[3].reason).toMatch(/HELD/);
    expect(customsJob.events.map((event: { status: string }) => event.status)).toEqual(["not_applied", "not_applied", "not_applied", "refused"]);
    expect(await lotState(a)).toBe("DECLARED");
    expect(await lotState(b)).toBe("DECLARED");
  });

  it("proceed: the valid events are applied, the refused one is left out", async () => {
    const [a, b] = [newLot(), newLot()];
    await capture(enterprise, [epcis.declare(a, 10n, await node.declaration(a)), epcis.declare(b, 10n, await node.declaration(b))]);
    const events = [
      epcis.at("arriving", a, "VNSGN-CATLAI"),
      epcis.at("arriving", a, "VNSGN-CATLAI"),
      epcis.at("arriving", newLot(), "VNSGN-CATLAI"),
      epcis.at("arriving", b, "VNSGN-CATLAI"),
    ];
    const status = await capture(customs, events, "proceed");
    expect(status.success).toBe(false);
    // The second event is the first one again (same content, no eventID: the same CBV hash): a duplicate.
    expect(status.events.map((event: { status: string }) => event.status)).toEqual(["accepted", "duplicate", "refused", "accepted"]);
    expect(status.errors).toEqual([expect.objectContaining({ position: 2, code: "UNKNOWN_LOT" })]);
    expect(await lotState(a)).toBe("ARRIVED");
    expect(await lotState(b)).toBe("ARRIVED");
  });

  it("splits a job larger than one transaction into parts, and a rollback job is decided whole first", async () => {
    const lots = Array.from({ length: 120 }, newLot);
    const declarations: Awaited<ReturnType<CaptureProduct["declaration"]>>[] = [];
    for (const lot of lots) declarations.push(await node.declaration(lot));
    const declared = await capture(
      enterprise,
      lots.map((lot, i) => epcis.declare(lot, 1n, declarations[i]!)),
    );
    expect(declared.success).toBe(true);
    expect(declared.appliedParts.map((part: { events: number }) => part.events)).toEqual([100, 20]);
    const arrivals = lots.map((lot) => epcis.at("arriving", lot, "VNSGN-CATLAI"));
    arrivals[110] = epcis.at("arriving", "NO-SUCH-LOT", "VNSGN-CATLAI");
    const rolledBack = await capture(customs, arrivals);
    expect(rolledBack.success).toBe(false);
    expect(rolledBack.errors).toEqual([expect.objectContaining({ position: 110, code: "UNKNOWN_LOT" })]);
    expect(rolledBack.counts).toEqual({ refused: 1, not_applied: 119 });
    expect(await lotState(lots[0]!)).toBe("DECLARED");
    const proceeded = await capture(customs, arrivals, "proceed");
    expect(proceeded.counts).toEqual({ refused: 1, accepted: 119 });
    expect(await lotState(lots[0]!)).toBe("ARRIVED");
    expect(await lotState(lots[119]!)).toBe("ARRIVED");
  });

  it("reports an event sent again, in another job, as a duplicate and applies it once", async () => {
    const lot = newLot();
    const event = epcis.declare(lot, 5n, await node.declaration(lot), `urn:uuid:once-${lot}`);
    const first = await capture(enterprise, [event]);
    const again = await capture(enterprise, [event]);
    expect(first.events[0].status).toBe("accepted");
    expect(again).toMatchObject({ success: true, events: [expect.objectContaining({ status: "duplicate" })] });
  });

  it("refuses another event under an id already used, on every path: a duplicate is the same event only", async () => {
    const [lot, other] = [newLot(), newLot()];
    const id = `urn:uuid:conflict-${lot}`;
    const first = await capture(enterprise, [epcis.declare(lot, 5n, await node.declaration(lot), id)]);
    expect(first.events[0].status).toBe("accepted");
    const conflicting = epcis.declare(other, 7n, await node.declaration(other), id);
    const single = await post("/epcis/events", enterprise, conflicting);
    expect([single.status, single.body.code, single.body.detail]).toEqual([400, "INVALID_ARGUMENT", expect.stringMatching(/names another event/)]);
    // In a rollback job the conflict applies nothing; in proceed, the rest is applied.
    const third = newLot();
    const thirdEvent = epcis.declare(third, 1n, await node.declaration(third));
    const rolledBack = await capture(enterprise, [thirdEvent, conflicting]);
    expect(rolledBack.events.map((event: { status: string }) => event.status)).toEqual(["not_applied", "refused"]);
    expect(await lotState(third)).toBeUndefined();
    const proceeded = await capture(enterprise, [thirdEvent, conflicting], "proceed");
    expect(proceeded.events.map((event: { status: string }) => event.status)).toEqual(["accepted", "refused"]);
    // Two events under one id in one job: the second is refused, not counted a duplicate.
    const [a, b] = [newLot(), newLot()];
    const twice = await capture(
      enterprise,
      [epcis.declare(a, 1n, await node.declaration(a), `urn:uuid:twice-${a}`), epcis.declare(b, 1n, await node.declaration(b), `urn:uuid:twice-${a}`)],
      "proceed",
    );
    expect(twice.events.map((event: { status: string }) => event.status)).toEqual(["accepted", "refused"]);
    expect(await lotState(other)).toBeUndefined();
    expect(await lotState(b)).toBeUndefined();
    expect(await lotState(lot)).toBe("DECLARED");
  });

  it("acts as the token's organisation only, whatever the event says", async () => {
    const lot = newLot();
    const declaration = await node.declaration(lot);
    const status = await capture(enterprise, [{ ...epcis.declare(lot, 5n, declaration), "tg:actor": "VNCUSTOMS" }]);
    expect(status.events[0]).toMatchObject({ status: "refused", code: "NOT_AUTHORIZED" });
    // A warehouse cannot declare AN-PHAT's goods: the ledger refuses it as the warehouse.
    const asWarehouse = await capture(warehouse, [epcis.declare(lot, 5n, declaration)]);
    expect(asWarehouse.events[0]).toMatchObject({ status: "refused", code: "NOT_AUTHORIZED" });
    // In the domain's words, naming the rule, not the contract's revert and an account.
    expect(asWarehouse.events[0].reason).not.toMatch(/contract reverted|0x[0-9a-f]{40}/i);
    expect(await lotState(lot)).toBeUndefined();
  });

  it("refuses what is not a capture document, too many events, and unknown error behaviours", async () => {
    expect((await post("/epcis/capture", enterprise, "{not json")).body).toMatchObject({ type: "epcisException:ValidationException" });
    expect((await post("/epcis/capture", enterprise, { type: "EPCISDocument" })).status).toBe(400);
    expect((await post("/epcis/capture", enterprise, epcis.document([]))).status).toBe(400);
    const tooMany = await post("/epcis/capture", enterprise, epcis.document(Array.from({ length: 10_001 }, () => ({}))));
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.detail).toMatch(/at most 10000/);
    const behaviour = await post("/epcis/capture", enterprise, epcis.document([{}]), { "GS1-Capture-Error-Behaviour": "sometimes" });
    expect(behaviour.status).toBe(400);
    expect(behaviour.body.detail).toMatch(/rollback or proceed/);
    const options = await fetch(`${node.product.apiUrl}/epcis/capture`, { method: "OPTIONS", headers: { authorization: `Bearer ${enterprise}` } });
    expect(options.headers.get("GS1-EPCIS-Capture-Limit")).toBe("10000");
    expect(options.headers.get("GS1-EPCIS-Capture-File-Size-Limit")).toBe(String(16 * 1024 * 1024));
  });

  it("answers a body it will not read, then closes the connection: the client reads the answer, the server no more of the body", async () => {
    const signedIn = { authorization: `Bearer ${enterprise}` };
    for (const [path, chunked, headers, status] of [
      ["/epcis/capture", false, signedIn, 413],
      ["/epcis/capture", true, signedIn, 413],
      ["/epcis/events", true, signedIn, 413],
      ["/epcis/capture", false, {}, 401],
    ] as const) {
      const what = `${path}, chunked: ${chunked}, ${status}`;
      const { head, sent, after } = await sendLarge(node.product.apiUrl, 150 * 1024 * 1024, { chunked, path, headers, sendOnMs: LINGER_MS / 5 });
      expect(head, what).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(head, what).toMatch(/\r\nconnection: close\r\n/i);
      // At most the document limit (16 MiB) was read; the rest waits in the kernel's buffers.
      expect(sent, what).toBeLessThan(48 * 1024 * 1024);
      expect(after, what).toBe("ended");
    }
  });

  it("reads a quantity as written: one JSON.parse would round to a whole number is refused, nothing declared", async () => {
    const lot = newLot();
    const declaration = epcis.declare(lot, 1n, await node.declaration(lot));
    const text = JSON.stringify(declaration).replace('"quantity":"1"', '"quantity":1.0000000000000001');
    expect(text).toContain("1.0000000000000001");
    const refused = await post("/epcis/events", enterprise, text);
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(refused.body.detail).toMatch(/quantity: "1.0000000000000001" is not a whole quantity/);
    expect(await lotState(lot)).toBeUndefined();
  });

  it("maps bad events to typed refusals, per event, without a 500", async () => {
    const status = await capture(customs, [{ type: "ObjectEvent", bizStep: "dancing" }, { type: "AggregationEvent" }, 42, { eventID: 7 }], "proceed");
    expect(status.events.map((event: { code: string }) => event.code)).toEqual(["UNKNOWN_BIZ_STEP", "UNMAPPABLE_EVENT", "MALFORMED_EVENT", "MALFORMED_EVENT"]);
  });

  it("keeps each organisation's jobs to itself", async () => {
    const lot = newLot();
    const accepted = await post("/epcis/capture", enterprise, epcis.document([epcis.declare(lot, 1n, await node.declaration(lot))]));
    const location = accepted.headers.get("location")!;
    expect((await get(location, customs)).status).toBe(404);
    expect((await get(location, enterprise)).status).toBe(200);
    expect((await fetch(`${node.product.apiUrl}${location}`)).status).toBe(401);
  });
});

describe("another writer on the same ledger", () => {
  it("changing a lot the node last saw makes the node read it again, not refuse", async () => {
    const lot = newLot();
    expect((await post("/epcis/events", enterprise, epcis.declare(lot, 4n, await node.declaration(lot)))).status).toBe(201);
    // The node saw its own declaration; the lot then moves on through another client of the ledger.
    await node.ledger.submit({ org: "VNCUSTOMS", role: "OFFICER" }, { type: "arrive", lot, facility: "VNSGN-CATLAI" });
    const stored = await post("/epcis/events", warehouse, epcis.at("storing", lot, "VNSGN-BONDED-1"));
    expect(stored.status, JSON.stringify(stored.body)).toBe(201);
    expect(await lotState(lot)).toBe("IN_WAREHOUSE");
  });
});

const officer = { org: "VNCUSTOMS", role: "OFFICER" } as const;

/** A lot declared and arrived, ready to be held. */
async function arrivedLot(): Promise<string> {
  return (await arrived()).lot;
}

/** The same, with the ledger time of its arrival (a new product's chain runs behind the wall clock). */
async function arrived(): Promise<{ lot: string; time: bigint }> {
  const lot = newLot();
  await node.ledger.submit(
    { org: "AN-PHAT", role: "OPERATOR" },
    {
      type: "declare",
      lot,
      goods: { material: "COTTON-YARN", hsCode: "520512", unit: "KGM", quantity: 3n },
      direction: "IMPORT",
      preferenceClaimed: false,
      permitRequired: false,
      declaration: await node.declaration(lot),
    },
  );
  const { time } = await node.ledger.submit(officer, { type: "arrive", lot, facility: "VNSGN-CATLAI" });
  return { lot, time };
}

describe("transit under seal", () => {
  it("captures a seal, its alerts and the unseal as client events: a mismatched seal refused, a broken one holds the lot", async () => {
    const { lot, time } = await arrived();
    const transit = documentHash(`capture transit declaration ${lot}`);
    await node.ledger.submit(
      { org: "VNCUSTOMS", role: "SIGNER" },
      { type: "anchor", hash: transit, id: `TRANSIT-${lot}`, kind: "TRANSIT", cid: "bafy-t", subjects: [] },
    );
    const deadline = time + 2n * 86_400n;
    const status = await capture(
      customs,
      [
        epcis.seal(lot, "VNSGN-BONDED-1", "ES-CAP-1", ledgerTimeIso(deadline).replace(".000Z", "Z"), transit),
        epcis.alert(lot, "ES-OTHER", "tg:seal_opened"),
        epcis.alert(lot, "ES-CAP-1", "https://tracegate.dev/epcis/route_deviation", "12 km off the corridor"),
        epcis.unseal(lot, "VNSGN-BONDED-1", false, "wire cut"),
      ],
      "proceed",
    );
    expect(status.events.map((event: { status: string; code?: string }) => [event.status, event.code ?? null])).toEqual([
      ["accepted", null],
      ["refused", "SEAL_MISMATCH"],
      ["accepted", null],
      ["accepted", null],
    ]);
    expect(await node.ledger.lot(lot)).toMatchObject({
      state: "HELD",
      priorState: "ARRIVED",
      location: "VNSGN-BONDED-1",
      custodian: "SAIGON-TERMINAL",
      seal: "",
      destination: "",
      deadline: 0n,
    });
  });

  it("captures a sealing alone: the lot in transit with the seal, destination and deadline the event gave", async () => {
    const { lot, time } = await arrived();
    const transit = documentHash(`capture transit declaration ${lot}`);
    await node.ledger.submit(
      { org: "VNCUSTOMS", role: "SIGNER" },
      { type: "anchor", hash: transit, id: `TRANSIT-${lot}`, kind: "TRANSIT", cid: "bafy-t", subjects: [] },
    );
    const deadline = time + 86_400n;
    // The deadline in the gate's own offset: the same instant.
    const local = new Date(Number(deadline + 7n * 3600n) * 1000).toISOString().replace(".000Z", "+07:00");
    const sealed = await post("/epcis/events", customs, epcis.seal(lot, "VNSGN-BONDED-1", "ES-CAP-2", local, transit));
    expect(sealed.status, JSON.stringify(sealed.body)).toBe(201);
    expect(await node.ledger.lot(lot)).toMatchObject({
      state: "IN_TRANSIT",
      location: "VNSGN-CATLAI",
      seal: "ES-CAP-2",
      destination: "VNSGN-BONDED-1",
      deadline,
    });
  });
});

describe("two clients signing with one key", () => {
  it("take turns without a refused nonce: each reads the count again when the other used its nonce", async () => {
    const { provider, addresses, signers } = node.product.ledger.embedded!;
    const other = await EvmLedger.connect({ endpoint: provider, addresses, signers, pollIntervalMs: 2 });
    try {
      const lot = await arrivedLot();
      for (let round = 0; round < 3; round++) {
        await other.submit(officer, { type: "hold", lot, reason: `round ${round}` });
        await node.ledger.submit(officer, { type: "unhold", lot });
      }
      expect(await lotState(lot)).toBe("ARRIVED");
    } finally {
      await other.close();
    }
  });
});

describe("POST /epcis/events", () => {
  it("captures one event synchronously: 201 and the event's Location, then 200 duplicate", async () => {
    const lot = newLot();
    const event = epcis.declare(lot, 7n, await node.declaration(lot), `urn:uuid:single-${lot}`);
    const first = await post("/epcis/events", enterprise, event);
    expect(first.status).toBe(201);
    expect(first.headers.get("location")).toBe(`/epcis/events/${encodeURIComponent(`urn:uuid:single-${lot}`)}`);
    expect(await lotState(lot)).toBe("DECLARED");
    const again = await post("/epcis/events", enterprise, event);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe("duplicate");
  });

  it("applies an event sent many times at once exactly once, singly or in jobs: the rest are duplicates", async () => {
    const lot = newLot();
    const arrival = epcis.at("arriving", lot, "VNSGN-CATLAI", `urn:uuid:burst-${lot}`);
    expect((await post("/epcis/events", enterprise, epcis.declare(lot, 3n, await node.declaration(lot)))).status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 8 }, () => post("/epcis/events", customs, arrival)));
    expect(answers.map(({ status }) => status).sort(), JSON.stringify(answers.map(({ body }) => body))).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(answers.filter(({ body }) => body.status === "duplicate")).toHaveLength(7);
    // A second arrival of an arrived lot would be refused, not reported a duplicate.
    expect(await lotState(lot)).toBe("ARRIVED");
    // The same in two capture jobs at once: one applies it, the other reports it a duplicate.
    const storing = epcis.at("storing", lot, "VNSGN-BONDED-1", `urn:uuid:burst-store-${lot}`);
    const jobs = await Promise.all([capture(warehouse, [storing]), capture(warehouse, [storing])]);
    expect(jobs.map((job) => job.events[0].status).sort()).toEqual(["accepted", "duplicate"]);
    expect(await lotState(lot)).toBe("IN_WAREHOUSE");
  });

  it("keeps event ids per organisation: another's ids neither block an event nor reveal that it was captured", async () => {
    const [lot, other] = [newLot(), newLot()];
    const declaration = epcis.declare(lot, 2n, await node.declaration(lot));
    const clientId = `urn:uuid:shared-${other}`;
    expect((await post("/epcis/events", enterprise, declaration)).status).toBe(201);
    expect((await post("/epcis/events", enterprise, epcis.declare(other, 2n, await node.declaration(other), clientId))).status).toBe(201);
    // The warehouse sends the very same event (the same hash), then another with the same id: each is decided as its own.
    for (const event of [declaration, { ...epcis.hold(other, "guess"), eventID: clientId }]) {
      const answer = await post("/epcis/events", warehouse, event);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        type: "epcisException:ValidationException",
        code: expect.stringMatching(/^(LOT_EXISTS|NOT_AUTHORIZED|DOCUMENT_ISSUER_MISMATCH)$/),
      });
    }
    expect(await lotState(lot)).toBe("DECLARED");
  });

  it("answers the same for a lot the caller may not see as for one that does not exist, on every path", async () => {
    const hidden = newLot();
    await capture(enterprise, [epcis.declare(hidden, 3n, await node.declaration(hidden))]);
    const signer = await node.token("VNCUSTOMS", "SIGNER");
    const issuer = await node.token("VCCI-HCM", "SIGNER");
    const eventsOn = (lot: string) => [
      epcis.at("storing", lot, "VNSGN-BONDED-1", `urn:uuid:probe-store-${lot}`),
      epcis.hold(lot, "a guess", `urn:uuid:probe-hold-${lot}`),
      epcis.at("arriving", lot, "VNSGN-CATLAI", `urn:uuid:probe-arrive-${lot}`),
    ];
    // What a caller is told, with the lot's id (its own input) taken out.
    const told = (answer: unknown, lot: string) => JSON.stringify(answer).replaceAll(lot, "<lot>");
    for (const token of [warehouse, issuer, signer]) {
      const unknown = newLot();
      const [onHidden, onUnknown] = [eventsOn(hidden), eventsOn(unknown)];
      for (const [index, event] of onHidden.entries()) {
        const [a, b] = [await post("/epcis/events", token, event), await post("/epcis/events", token, onUnknown[index])];
        expect(a.status).toBe(400);
        expect(a.body.code).toBe("NOT_AUTHORIZED");
        expect(told(a.body, hidden)).toBe(told(b.body, unknown));
      }
      const [jobA, jobB] = [await capture(token, onHidden, "proceed"), await capture(token, onUnknown, "proceed")];
      const withoutIds = (job: Record<string, any>) => job.events.map(({ status, code, reason }: Record<string, unknown>) => ({ status, code, reason }));
      expect(told(withoutIds(jobA), hidden)).toBe(told(withoutIds(jobB), unknown));
    }
    expect(await lotState(hidden)).toBe("DECLARED");
  });

  it("lets a member read only its own capture jobs: its organisation's, in its role", async () => {
    const lot = newLot();
    const job = await post("/epcis/capture", customs, epcis.document([epcis.at("arriving", lot, "VNSGN-CATLAI")]));
    const location = job.headers.get("location")!;
    const signer = await node.token("VNCUSTOMS", "SIGNER");
    expect((await get(location, customs)).status).toBe(200);
    // A signer of the same organisation sees no lot: the officer's job (its refusal names the lot) is not its.
    expect(await get(location, signer)).toMatchObject({ status: 404, body: { type: "epcisException:NoSuchResourceException" } });
    const listed = (await get("/epcis/capture", signer)).body as Array<{ captureID: string }>;
    expect(listed.map(({ captureID }) => captureID)).not.toContain(location.split("/").pop());
    // A job id that is not URL-encoded text is no job's id.
    expect(await get("/epcis/capture/%E0%A4%A", customs)).toMatchObject({ status: 404, body: { type: "epcisException:NoSuchResourceException" } });
  });

  it("answers a refusal with the domain's code and a plain reason, changing nothing", async () => {
    const lot = newLot();
    const refused = await post("/epcis/events", customs, epcis.at("arriving", lot, "VNSGN-CATLAI"));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ type: "epcisException:ValidationException", code: "UNKNOWN_LOT" });
    expect(refused.body.detail).not.toMatch(/^UNKNOWN_LOT/);
    expect(await lotState(lot)).toBeUndefined();
  });
});

describe("Ledger.recoverBatch (what a restarted node asks of the EVM ledger)", () => {
  /** Signs a hold of `lot` and stops before it is sent, as a node killed at that moment would. */
  async function signedNotSent(lot: string) {
    let signed: { id: string; raw: string } | undefined;
    const crash = new Error("killed before sending");
    await expect(
      node.ledger.submitBatch(officer, [{ type: "hold", lot, reason: "crash test" }], {
        onSigned: async (tx) => {
          signed = tx;
          throw crash;
        },
      }),
    ).rejects.toBe(crash);
    return signed!;
  }

  it("finds a batch that was applied, without applying it again", async () => {
    const lot = await arrivedLot();
    const sent: Array<{ id: string; raw: string }> = [];
    const applied = await node.ledger.submitBatch(officer, [{ type: "hold", lot, reason: "applied once" }], { onSigned: async (tx) => void sent.push(tx) });
    const recovered = await node.ledger.recoverBatch(officer, sent, 1);
    expect(recovered?.tx).toBe(applied.tx);
    expect(recovered?.events).toEqual(applied.events);
    expect((await node.ledger.lot(lot))?.state).toBe("HELD");
  });

  it("sends a signed batch that never reached the node, once", async () => {
    const lot = await arrivedLot();
    const signed = await signedNotSent(lot);
    expect((await node.ledger.lot(lot))?.state).toBe("ARRIVED");
    const recovered = await node.ledger.recoverBatch(officer, [signed], 1);
    expect(recovered?.tx).toBe(signed.id);
    expect((await node.ledger.lot(lot))?.state).toBe("HELD");
    expect((await node.ledger.recoverBatch(officer, [signed], 1))?.tx).toBe(signed.id);
    // The account's next send still goes through: the recovery used a nonce.
    await node.ledger.submit(officer, { type: "unhold", lot });
  });

  it("says a signed batch whose nonce another transaction took was never applied", async () => {
    const lot = await arrivedLot();
    const signed = await signedNotSent(lot);
    await node.ledger.submit(officer, { type: "hold", lot, reason: "took the nonce" });
    expect(await node.ledger.recoverBatch(officer, [signed], 1)).toBeUndefined();
  });
});

describe("a broken client", () => {
  it("that goes away in the middle of its body leaves no job, and the node serves the next request", async () => {
    const { port } = new URL(node.product.apiUrl);
    const { connect } = await import("node:net");
    const before = (await get("/epcis/capture", enterprise)).body as unknown as unknown[];
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(
          `POST /epcis/capture HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${enterprise}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{"type": "EPCISDocument", "epcisBody": {"eventList": [`,
        );
        setImmediate(() => socket.destroy());
      });
      socket.on("close", () => resolve());
      socket.on("error", reject);
    });
    const after = (await get("/epcis/capture", enterprise)).body as unknown as unknown[];
    expect(after).toHaveLength(before.length);
    const lot = newLot();
    expect((await post("/epcis/events", enterprise, epcis.declare(lot, 1n, await node.declaration(lot)))).status).toBe(201);
  });
});
