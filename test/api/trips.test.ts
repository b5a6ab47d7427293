/**
 * Lot.trips through the API: a trip's seal, places, deadline, outcome, time against the deadline, its
 * alerts, transit declaration and e-seal track, judged at ledger time; shown only to callers who may see
 * the lot (the owner, the warehouse holding it, customs), refused to the others like any lot field; the
 * track only to those entitled to the e-seal's evidence (customs, the owner).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startScenarioApi, type ScenarioApi } from "./scenario-api.js";
import { addTrips, TRIP, tripTrack } from "./scenario-trip.js";
import { iso } from "./scenario.js";

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

it("shows the trips to callers who may see the lot, the track only to customs and the owner, and refuses the others", async () => {
  const { data: owner } = await api.query("otherEnterprise", TRIPS, { id: TRIP.onTheWay.lot });
  expect(owner!.lot.trips[0].track).toHaveLength(tripTrack().length);
  // The warehouse holds LOT-X2 since its unseal: it sees the trip, not the e-seal's evidence (api/transit/track-reads.ts).
  const { data: warehouse, errors } = await api.query("warehouse", TRIPS, { id: TRIP.lot });
  expect(errors).toBeUndefined();
  expect(warehouse!.lot.trips[0]).toMatchObject({ outcome: "HELD_BROKEN_SEAL", track: null });
  for (const [caller, lot] of [
    ["enterprise", TRIP.lot],
    ["issuer", TRIP.lot],
    ["enterprise", TRIP.onTheWay.lot],
    ["warehouse", TRIP.onTheWay.lot],
  ] as const) {
    const { data, errors } = await api.query(caller, TRIPS, { id: lot });
    expect(data?.lot ?? null, `${caller} ${lot}`).toBeNull();
    expect(
      errors?.map((error) => error.extensions?.code),
      `${caller} ${lot}`,
    ).toEqual(["FORBIDDEN"]);
  }
});
