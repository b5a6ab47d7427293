/**
 * Lot.trips through the API: a trip's seal, places, deadline, outcome, time against the deadline, its
 * alerts, transit declaration and e-seal track, judged at ledger time; shown only to callers who may see
 * the lot (the owner, the warehouse holding it, customs), refused to the others like any lot field; the
 * track only to those entitled to the e-seal's evidence (customs, the owner); an anchored segment's
 * positions only while its stored file verifies against the root on the ledger.
 */
import { insertSegment } from "../../api/transit/segment-rows.js";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadDocumentKeys } from "../../api/document-keys.js";
import { startApiServer } from "../../api/server.js";
import { API_AUDIENCE, DEV_TOKEN_ISSUER } from "../../api/auth/dev-tokens.js";
import { segmentBatch, segmentFile, TRACK_FORMAT, type SealMessage, type TrackSegment } from "../../domain/seal-track.js";
import { seal } from "../../sdk/documents/envelope.js";
import { DocumentError } from "../../sdk/documents/errors.js";
import { ensureKeyFiles } from "../../sdk/documents/key-files.js";
import type { DocumentStore } from "../../sdk/documents/store.js";
import { startScenarioApi, type ScenarioApi } from "./scenario-api.js";
import { addTrips, TRIP, tripTrack } from "./scenario-trip.js";
import { at, iso } from "./scenario.js";
import { appendBlock } from "./scenario-store.js";

let api: ScenarioApi;
beforeAll(async () => {
  api = await startScenarioApi();
  await addTrips(api);
}, 120_000);
afterAll(() => api?.close());

const TRIPS = `query ($id: String!) { lot(id: $id) { id state trips {
  seal origin destination deadline sealedAt arrivedAt outcome sealIntact remark secondsInTransit secondsAllowed secondsLate
  alerts { time alert detail event { kind reason } } transitDeclaration { id kind issuer }
  sealEvent { kind } endEvent { kind reason flagged } track { time latitude longitude sealClosed alerts } } } }`;

it("shows a trip sealed, alerted, unsealed late with its seal broken; no track where the node has none", async () => {
  const { data, errors } = await api.query("auditor", TRIPS, { id: TRIP.lot });
  expect(errors).toBeUndefined();
  expect(data!.lot.state).toBe("HELD");
  const [trip] = data!.lot.trips;
  expect(trip).toMatchObject({
    seal: TRIP.seal,
    origin: "GATE-1",
    destination: "WH-1",
    deadline: iso(TRIP.deadline),
    sealedAt: iso(TRIP.sealedAt),
    arrivedAt: iso(TRIP.unsealedAt),
    outcome: "HELD_BROKEN_SEAL",
    sealIntact: false,
    remark: "wire cut",
    secondsInTransit: 8 * 3600,
    secondsAllowed: 6 * 3600,
    secondsLate: 2 * 3600,
    transitDeclaration: { id: "TRANSIT-X2", kind: "TRANSIT", issuer: "ENT-2" },
    sealEvent: { kind: "seal" },
    endEvent: { kind: "unseal", reason: "SEAL_BROKEN: wire cut", flagged: true },
  });
  expect(trip.alerts).toEqual(
    TRIP.alerts.map(({ time, alert, detail }) => ({
      time: iso(time),
      alert,
      detail: detail || null,
      event: { kind: "alert", reason: detail ? `${alert}: ${detail}` : alert },
    })),
  );
  expect(trip.track).toBeNull();
});

it("judges a trip still on its way past its deadline at ledger time, with its pending e-seal readings", async () => {
  const { onTheWay } = TRIP;
  const { data, errors } = await api.query("auditor", TRIPS, { id: onTheWay.lot });
  expect(errors).toBeUndefined();
  // Ledger time is LOT-X2's unseal, the store's latest event.
  expect(data!.lot.trips).toMatchObject([
    {
      seal: onTheWay.seal,
      outcome: "OVERDUE",
      arrivedAt: null,
      sealIntact: null,
      endEvent: null,
      secondsInTransit: Number(TRIP.unsealedAt - onTheWay.sealedAt),
      secondsLate: Number(TRIP.unsealedAt - onTheWay.deadline),
    },
  ]);
  const [trip] = data!.lot.trips;
  expect(trip.alerts.map((alert: { alert: string }) => alert.alert)).toEqual(["ROUTE_DEVIATION", "OPENED"]);
  expect(trip.track).toEqual(
    tripTrack().map((message) => ({
      time: iso(message.time),
      latitude: Number(message.latitude),
      longitude: Number(message.longitude),
      sealClosed: message.sealClosed,
      alerts: message.alerts,
    })),
  );
  expect(trip.track.flatMap((position: { alerts: string[] }) => position.alerts)).toEqual(["ROUTE_DEVIATION", "OPENED"]);
  const { data: none } = await api.query("auditor", TRIPS, { id: "LOT-F1" });
  expect(none!.lot.trips).toEqual([]);
});

it("shows the trips to callers who may see the lot (the destination too), the track only to customs and the owner, and refuses the others", async () => {
  const { data: owner } = await api.query("otherEnterprise", TRIPS, { id: TRIP.onTheWay.lot });
  expect(owner!.lot.trips[0].track).toHaveLength(tripTrack().length);
  // The warehouse holds LOT-X2 since its unseal: it sees the trip, not the e-seal's evidence (api/transit/track-reads.ts).
  const { data: warehouse, errors } = await api.query("warehouse", TRIPS, { id: TRIP.lot });
  expect(errors).toBeUndefined();
  expect(warehouse!.lot.trips[0]).toMatchObject({ outcome: "HELD_BROKEN_SEAL", track: null });
  // LOT-X3 comes to the warehouse's WH-1 under seal: it sees the lot on its way, not the e-seal's evidence.
  const inbound = await api.query("warehouse", TRIPS, { id: TRIP.onTheWay.lot });
  expect(inbound.errors).toBeUndefined();
  expect(inbound.data!.lot).toMatchObject({ state: "IN_TRANSIT", trips: [{ track: null }] });
  for (const [caller, lot] of [
    ["enterprise", TRIP.lot],
    ["issuer", TRIP.lot],
    ["enterprise", TRIP.onTheWay.lot],
  ] as const) {
    const { data, errors } = await api.query(caller, TRIPS, { id: lot });
    expect(data?.lot ?? null, `${caller} ${lot}`).toBeNull();
    expect(
      errors?.map((error) => error.extensions?.code),
      `${caller} ${lot}`,
    ).toEqual(["FORBIDDEN"]);
  }
});

// Last: it anchors a segment, which moves ledger time on.
it("shows an anchored segment's positions while its stored file verifies, and none once a position is changed", async () => {
  // LOT-X2's readings, anchored by customs as a SEAL_TRACK batch and stored sealed for customs and ENT-2.
  const messages: SealMessage[] = tripTrack().map((message) => ({ ...message, seal: TRIP.seal, time: message.time - TRIP.onTheWay.sealedAt + TRIP.sealedAt }));
  const segment: TrackSegment = { format: TRACK_FORMAT, seal: TRIP.seal, lots: [TRIP.lot], messages };
  const { root } = segmentBatch(segment);
  await appendBlock(api.store, [
    await api.scenario.ledger.submit({ org: "CUSTOMS", role: "SIGNER" }, { type: "anchorBatch", root, kind: "SEAL_TRACK", count: messages.length }, at(5, 18)),
  ]);
  await insertSegment(api.store.db, { root, seal: TRIP.seal, lots: [TRIP.lot], messages, cid: "bafy-track-x2", state: "anchored", tx: null });

  const keysDir = await mkdtemp(join(tmpdir(), "tracegate-trip-keys-"));
  await ensureKeyFiles(keysDir, ["CUSTOMS", "ENT-2"]);
  const recipients = await Promise.all(
    ["CUSTOMS", "ENT-2"].map(async (orgId) => ({ orgId, publicKey: await readFile(join(keysDir, `${orgId}.public.pem`), "utf8") })),
  );
  const blobs = new Map([["bafy-track-x2", seal(new TextEncoder().encode(segmentFile(segment)), recipients)]]);
  const documents: DocumentStore = {
    put: () => Promise.reject(new Error("read-only")),
    get: async (cid) => blobs.get(cid) ?? Promise.reject(new DocumentError("NOT_FOUND", `no block ${cid}`)),
    has: async (cid) => blobs.has(cid),
    exportCar: () => {
      throw new DocumentError("NOT_FOUND", "no CARs here");
    },
  };
  const server = await startApiServer({
    store: api.store,
    tokens: { keys: api.issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE },
    documents,
    documentKeys: await loadDocumentKeys(keysDir, "all"),
  });
  const track = async (token: string) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-graphql-yoga-csrf": "1" },
      body: JSON.stringify({ query: TRIPS, variables: { id: TRIP.lot } }),
    });
    const { data, errors } = (await response.json()) as { data: any; errors?: unknown };
    expect(errors).toBeUndefined();
    return data.lot.trips[0].track as Array<{ latitude: number }> | null;
  };
  try {
    expect((await track(api.tokens.auditor))?.map(({ latitude }) => latitude)).toEqual(messages.map(({ latitude }) => Number(latitude)));
    expect(await track(api.tokens.otherEnterprise)).toHaveLength(messages.length);
    // The same file with one reading moved 1 microdegree, sealed again: it no longer builds the anchored root.
    const moved = { ...segment, messages: messages.map((message, index) => (index === 3 ? { ...message, latitude: message.latitude + 1n } : message)) };
    blobs.set("bafy-track-x2", seal(new TextEncoder().encode(segmentFile(moved)), recipients));
    expect(await track(api.tokens.auditor)).toBeNull();
  } finally {
    await server.close();
    await rm(keysDir, { recursive: true, force: true });
  }
});
