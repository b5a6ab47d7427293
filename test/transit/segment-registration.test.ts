/**
 * POST /transit/segments over the API scenario's store: a segment anchored elsewhere (here: submitted to
 * the scenario's ledger, its file sealed for customs and the owner in the node's document store) is
 * registered by customs only once it verifies, and then LOT-X2's trip shows its positions to customs
 * and the owner; a second registration, or one of a segment the node anchored itself, records nothing
 * more; anything else is refused with its reason and records nothing.
 */
import { insertSegment } from "../../api/transit/segment-rows.js";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadDocumentKeys } from "../../api/document-keys.js";
import { startApiServer, type ApiServer } from "../../api/server.js";
import { API_AUDIENCE, DEV_TOKEN_ISSUER } from "../../api/auth/dev-tokens.js";
import { segmentBatch, segmentFile, TRACK_FORMAT, type SealMessage, type TrackSegment } from "../../domain/seal-track.js";
import { seal } from "../../sdk/documents/envelope.js";
import { DocumentError } from "../../sdk/documents/errors.js";
import { ensureKeyFiles } from "../../sdk/documents/key-files.js";
import { LINGER_MS } from "../../sdk/lingering-close.js";
import type { DocumentStore } from "../../sdk/documents/store.js";
import { startScenarioApi, type ScenarioApi } from "../api/scenario-api.js";
import { addTrips, TRIP, tripTrack } from "../api/scenario-trip.js";
import { at } from "../api/scenario.js";
import { appendBlock } from "../api/scenario-store.js";
import { sendLarge } from "../support/large-body.js";

let api: ScenarioApi;
let server: ApiServer;
let keysDir: string;
let recipients: Array<{ orgId: string; publicKey: string }>;
const blobs = new Map<string, Uint8Array>();

// LOT-X2's readings, as another customs system anchored them (a SEAL_TRACK batch) and stored them.
const messages: SealMessage[] = tripTrack().map((message) => ({ ...message, seal: TRIP.seal, time: message.time - TRIP.onTheWay.sealedAt + TRIP.sealedAt }));
const segment: TrackSegment = { format: TRACK_FORMAT, seal: TRIP.seal, lots: [TRIP.lot], messages };
/** Its first three readings: a segment this node anchored itself from reports captured here. */
const own: TrackSegment = { ...segment, messages: messages.slice(0, 3) };

beforeAll(async () => {
  api = await startScenarioApi();
  await addTrips(api);
  for (const [anchored, hour] of [
    [segment, 18],
    [own, 19],
  ] as const) {
    const { root } = segmentBatch(anchored);
    await appendBlock(api.store, [
      await api.scenario.ledger.submit(
        { org: "CUSTOMS", role: "SIGNER" },
        { type: "anchorBatch", root, kind: "SEAL_TRACK", count: anchored.messages.length },
        at(5, hour),
      ),
    ]);
  }
  keysDir = await mkdtemp(join(tmpdir(), "tracegate-segment-keys-"));
  await ensureKeyFiles(keysDir, ["CUSTOMS", "ENT-2"]);
  recipients = await Promise.all(
    ["CUSTOMS", "ENT-2"].map(async (orgId) => ({ orgId, publicKey: await readFile(join(keysDir, `${orgId}.public.pem`), "utf8") })),
  );
  const documents: DocumentStore = {
    put: () => Promise.reject(new Error("read-only")),
    get: async (cid) => blobs.get(cid) ?? Promise.reject(new DocumentError("NOT_FOUND", `no block ${cid}`)),
    has: async (cid) => blobs.has(cid),
    exportCar: () => {
      throw new DocumentError("NOT_FOUND", "no CARs here");
    },
  };
  server = await startApiServer({
    store: api.store,
    tokens: { keys: api.issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE },
    documents,
    documentKeys: await loadDocumentKeys(keysDir, "all"),
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await api?.close();
  if (keysDir !== undefined) await rm(keysDir, { recursive: true, force: true });
});

const sealed = (text: string) => seal(new TextEncoder().encode(text), recipients);

async function register(cid: string, token: string | null = api.tokens.auditor) {
  const response = await fetch(`${server.url}/transit/segments`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ cid }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function track(token: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-graphql-yoga-csrf": "1" },
    body: JSON.stringify({ query: `query ($id: String!) { lot(id: $id) { trips { track { latitude } } } }`, variables: { id: TRIP.lot } }),
  });
  const { data, errors } = (await response.json()) as { data: any; errors?: unknown };
  expect(errors).toBeUndefined();
  return (data.lot.trips[0].track as Array<{ latitude: number }> | null)?.map(({ latitude }) => latitude) ?? null;
}

const recorded = async () => ({
  segments: await api.store.db.selectFrom("seal_segments").select(["root", "cid"]).orderBy("root").execute(),
  lots: await api.store.db.selectFrom("seal_segment_lots").selectAll().orderBy("root").execute(),
});

it("refuses anything but customs registering a verified segment, with the reason, and records nothing", async () => {
  blobs.set("bafy-segment", sealed(segmentFile(segment)));
  blobs.set("bafy-invoice", sealed("INVOICE INV-1: 2,000 kg of chips"));
  // One reading moved 1 microdegree and sealed again: it no longer builds the anchored root.
  const moved = { ...segment, messages: messages.map((message, index) => (index === 3 ? { ...message, latitude: message.latitude + 1n } : message)) };
  blobs.set("bafy-moved", sealed(segmentFile(moved)));
  const flipped = sealed(segmentFile(segment));
  flipped[flipped.length - 5]! ^= 1;
  blobs.set("bafy-flipped", flipped);

  expect(await register("bafy-segment", null)).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
  for (const caller of ["otherEnterprise", "issuer", "warehouse"] as const) {
    expect(await register("bafy-segment", api.tokens[caller]), caller).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
  }
  // Customs roles that see no lot (they sign and administer) would be told the segment's lots.
  for (const role of ["SIGNER", "ADMIN"] as const) {
    expect(await register("bafy-segment", await api.issuer.mint("CUSTOMS", role)), role).toMatchObject({
      status: 403,
      body: { error: { code: "FORBIDDEN", message: /AUDITOR or OFFICER/ } },
    });
  }
  expect(await register("bafy-nothing")).toMatchObject({ status: 404, body: { error: { code: "UNKNOWN_CID" } } });
  const invoice = await register("bafy-invoice");
  expect(invoice).toMatchObject({ status: 422, body: { error: { code: "NOT_A_SEGMENT", verdict: { verdict: "INVALID" } } } });
  expect(invoice.body.error.message).toMatch(/not a seal track segment/);
  const altered = await register("bafy-moved");
  expect(altered).toMatchObject({ status: 422, body: { error: { code: "INVALID", verdict: { verdict: "INVALID" } } } });
  expect(altered.body.error.message).toMatch(/verifies INVALID: no batch with root 0x[0-9a-f]{64} is anchored: the track was altered/);
  expect(await register("bafy-flipped")).toMatchObject({
    status: 422,
    body: { error: { code: "NOT_A_SEGMENT", message: /does not open with CUSTOMS's key/ } },
  });
  expect(await recorded()).toEqual({ segments: [], lots: [] });
  expect(await track(api.tokens.auditor)).toBeNull();
});

it("refuses a body it will not read, closing the connection, so the client still sending reads why", async () => {
  for (const [chunked, headers, status] of [
    [true, { authorization: `Bearer ${api.tokens.auditor}` }, 413],
    [false, {}, 401],
  ] as const) {
    const { head, after } = await sendLarge(server.url, 64 * 1024 * 1024, { chunked, path: "/transit/segments", headers, sendOnMs: LINGER_MS / 5 });
    expect(head, `chunked: ${chunked}`).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(head, `chunked: ${chunked}`).toMatch(/\r\nconnection: close\r\n/i);
    expect(after, `chunked: ${chunked}`).toBe("ended");
  }
  expect(await recorded()).toEqual({ segments: [], lots: [] });
});

it("registers an anchored segment once: LOT-X2's trip then shows its positions to customs and the owner", async () => {
  const { root } = segmentBatch(segment);
  const first = await register("bafy-segment");
  expect(first).toEqual({
    status: 201,
    body: { root, seal: TRIP.seal, lots: [TRIP.lot], count: messages.length, cid: "bafy-segment", recorded: true },
  });
  const latitudes = messages.map(({ latitude }) => Number(latitude));
  expect(await track(api.tokens.auditor)).toEqual(latitudes);
  expect(await track(api.tokens.otherEnterprise)).toEqual(latitudes);

  expect(await register("bafy-segment")).toMatchObject({ status: 200, body: { root, recorded: false } });
  expect(await recorded()).toEqual({ segments: [{ root, cid: "bafy-segment" }], lots: [{ lot: TRIP.lot, root }] });
});

it("records nothing more for a segment this node anchored from reports captured here", async () => {
  const { root } = segmentBatch(own);
  // As the track anchorer recorded it (api/transit/track-anchorer.ts), its file under the node's own CID.
  await insertSegment(api.store.db, { root, seal: TRIP.seal, lots: [TRIP.lot], messages: own.messages, cid: "bafy-own", state: "anchored", tx: null });
  blobs.set("bafy-own-copy", sealed(segmentFile(own)));
  expect(await register("bafy-own-copy")).toMatchObject({ status: 200, body: { root, recorded: false } });
  const rows = await api.store.db.selectFrom("seal_segments").select(["root", "cid"]).where("root", "=", root).execute();
  expect(rows).toEqual([{ root, cid: "bafy-own" }]);
  expect((await recorded()).lots).toHaveLength(2);
});
