/**
 * Trips under seal and their tracks, over many random draws: a routine trip arrives well within its
 * deadline on every corridor and raises nothing; each incident does what its anomaly says; every alert
 * the device raised is in the track, on a reading at or after it; the same draw gives the same bytes.
 */
import { describe, expect, it } from "vitest";
import { messageBytes } from "../../domain/seal-track.js";
import { CORRIDORS } from "../../seeds/corridors.js";
import { Random } from "../../seeds/random.js";
import { LONG_STOP_SECONDS, planTrip, READING_SECONDS, trackOf, type Incident } from "../../seeds/trips.js";

const SEALED = 1_800_000_000n;
const DRAWS = 200;

describe("a trip under seal", () => {
  it("arrives within its deadline on every corridor, with no alert, whatever the draw", () => {
    for (const corridor of CORRIDORS) {
      const random = new Random(11);
      for (let draw = 0; draw < DRAWS; draw++) {
        const trip = planTrip(random, corridor, "ES27-000001", SEALED);
        expect(trip.alerts).toEqual([]);
        expect(trip.openedAt).toBeNull();
        // Room for the unseal an hour and a half after arriving, and a slot's delay, many times over.
        expect(trip.arrival - SEALED, corridor.id).toBeLessThan((corridor.deadlineHours * 3_600n) / 2n);
      }
    }
  });

  it("overruns the deadline on a breakdown, after a LONG_STOP the device raised 45 minutes into it", () => {
    for (const corridor of CORRIDORS) {
      const trip = planTrip(new Random(3), corridor, "ES27-000002", SEALED, "BREAKDOWN");
      expect(trip.arrival - SEALED).toBeGreaterThan(corridor.deadlineHours * 3_600n);
      expect(trip.alerts.map(({ alert }) => alert)).toEqual(["LONG_STOP"]);
      const track = trackOf(trip, ["LOT-1"], trip.arrival);
      const stopped = track.messages.filter((message) => message.time >= trip.alerts[0]!.time - LONG_STOP_SECONDS && message.time < trip.alerts[0]!.time);
      // Where it stopped, it stayed: the readings of those 45 minutes are within a few metres of each other.
      const spread = (key: "latitude" | "longitude") =>
        stopped.reduce((max, m) => (m[key] > max ? m[key] : max), -1n << 62n) - stopped.reduce((min, m) => (m[key] < min ? m[key] : min), 1n << 62n);
      expect(spread("latitude")).toBeLessThanOrEqual(60n);
      expect(spread("longitude")).toBeLessThanOrEqual(60n);
    }
  });

  it("reports the seal open from the cut on, with OPENED on the first reading at or after it", () => {
    const trip = planTrip(new Random(5), CORRIDORS.find(({ id }) => id === "CATLAI-LONGBINH")!, "ES27-000003", SEALED, "SEAL_CUT");
    const { messages } = trackOf(trip, ["LOT-1"], trip.arrival + 3_600n);
    const first = messages.findIndex((message) => !message.sealClosed);
    expect(messages[first]!.time).toBeGreaterThanOrEqual(trip.openedAt!);
    expect(messages[first]!.time - trip.openedAt!).toBeLessThan(READING_SECONDS);
    expect(messages[first]!.alerts).toEqual(["OPENED"]);
    expect(messages.slice(first).every((message) => !message.sealClosed)).toBe(true);
  });

  it("keeps every alert the device raised in the track, and gives the same bytes for the same draw", () => {
    const incidents: Array<Incident | undefined> = [undefined, "BREAKDOWN", "SEAL_CUT", "DETOUR"];
    for (const corridor of CORRIDORS) {
      for (const incident of incidents) {
        const trip = planTrip(new Random(9), corridor, "ES27-000004", SEALED, incident);
        const track = trackOf(trip, ["LOT-1"], trip.arrival + 600n);
        expect(track.messages).toHaveLength(Number((trip.arrival + 600n - SEALED) / READING_SECONDS) + 1);
        expect(track.messages.flatMap((message) => message.alerts).sort()).toEqual(trip.alerts.map(({ alert }) => alert).sort());
        const again = trackOf(planTrip(new Random(9), corridor, "ES27-000004", SEALED, incident), ["LOT-1"], trip.arrival + 600n);
        expect(again.messages.map(messageBytes)).toEqual(track.messages.map(messageBytes));
      }
    }
  });
});
