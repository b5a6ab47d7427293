/**
 * The query bindings find captured events under the eventIDs their clients sent, end to end on the
 * product's embedded default: captured over HTTP (a job of two events in one ledger transaction, and
 * one single event), recorded on the chain, indexed, then read back by id and in lists.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { epcis, startCaptureProduct, type CaptureProduct } from "../capture/capture-product.js";

let node: CaptureProduct;
let enterprise: string;
let customs: string;
let issuer: string;

beforeAll(async () => {
  node = await startCaptureProduct();
  enterprise = await node.token("AN-PHAT", "OPERATOR");
  customs = await node.token("VNCUSTOMS", "OFFICER");
  issuer = await node.token("VCCI-HCM", "SIGNER");
}, 120_000);
afterAll(async () => node?.stop(true));

async function request(method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${node.product.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/ld+json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

const byId = (eventID: string, token: string) => request("GET", `/epcis/events/${encodeURIComponent(eventID)}`, token);

describe("captured events through the query bindings", () => {
  it("are found under their clients' eventIDs, each the event it was sent as, for those who may see them", async () => {
    const run = `${process.pid}-${Date.now()}`;
    const [a, b] = [`QRY-A-${run}`, `QRY-B-${run}`];
    const ids = { a: `urn:uuid:query-a-${run}`, b: `urn:uuid:query-b-${run}`, arrive: `urn:uuid:query-arrive-${run}` };
    const declarations = [await node.declaration(a), await node.declaration(b)];
    const job = await request(
      "POST",
      "/epcis/capture",
      enterprise,
      epcis.document([epcis.declare(a, 10n, declarations[0]!, ids.a), epcis.declare(b, 20n, declarations[1]!, ids.b)]),
    );
    expect(job.status, JSON.stringify(job.body)).toBe(202);
    for (;;) {
      const status = await request("GET", job.headers.get("location")!, enterprise);
      if (!status.body.running) {
        expect(status.body.success, JSON.stringify(status.body)).toBe(true);
        // Both in one ledger transaction: the second is told apart by its rank in it.
        expect(new Set(status.body.events.map((event: { transaction: string }) => event.transaction)).size).toBe(1);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const single = await request("POST", "/epcis/events", customs, epcis.at("arriving", a, "VNSGN-CATLAI", ids.arrive));
    expect(single.status, JSON.stringify(single.body)).toBe(201);
    const location = single.headers.get("location")!;
    // Indexing follows the ledger: the event's Location answers once the index holds it.
    let found = await request("GET", location, customs);
    for (let tries = 0; found.status === 404 && tries < 500; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      found = await request("GET", location, customs);
    }
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ eventID: ids.arrive, bizStep: "arriving", quantityList: [{ epcClass: `urn:tracegate:lot:${a}` }] });

    expect((await byId(ids.a, enterprise)).body).toMatchObject({
      eventID: ids.a,
      bizStep: "tg:declaring",
      quantityList: [{ epcClass: `urn:tracegate:lot:${a}`, quantity: 10 }],
    });
    expect((await byId(ids.b, enterprise)).body).toMatchObject({ eventID: ids.b, quantityList: [{ epcClass: `urn:tracegate:lot:${b}`, quantity: 20 }] });
    const listed = await request("GET", `/epcis/events?EQ_eventID=${encodeURIComponent(Object.values(ids).join(","))}`, customs);
    expect(listed.body.epcisBody.queryResults.resultsBody.eventList.map((event: { eventID: string }) => event.eventID)).toEqual([ids.a, ids.b, ids.arrive]);
    const ofA = await request("GET", `/epcis/events?MATCH_epcClass=urn:tracegate:lot:${a}`, enterprise);
    expect(ofA.body.epcisBody.queryResults.resultsBody.eventList.map((event: { eventID: string }) => event.eventID)).toEqual([ids.a, ids.arrive]);
    // An issuer may see none of it: not found, like an id no event has.
    for (const eventID of Object.values(ids)) expect((await byId(eventID, issuer)).status).toBe(404);
  }, 60_000);
});
