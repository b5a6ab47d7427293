/**
 * Trips under customs seal, decided by the domain ledger, planting each transit finding and its near
 * misses: an alert-only trip on time, a broken seal after OPENED and ROUTE_DEVIATION, arrivals a little
 * and far too late, one at the deadline itself, a lot that never arrives, one held on the way past its
 * deadline, one destroyed on the way, and a lot sealed twice (on time, then late). Ledger time runs on
 * with unrelated anchors after the last trip, so unfinished trips pass their deadlines in later blocks.
 */
import { documentHash, InMemoryLedger, type Action, type Actor, type LedgerEvent, type SealAlert } from "../../domain/index.js";
import type { FindingSettings } from "../../indexer/findings/settings.js";
import { START_TIME } from "../differential/setup.js";
import { FACILITIES, ORGANISATIONS, SETUP_DOCUMENTS, setupActions } from "../differential/world.js";
import type { FindingsScenario } from "./findings-scenario.js";
import { SCENARIO_SETTINGS } from "./findings-scenario.js";

/** Arrivals up to 6 h late are MEDIUM, later ones HIGH. */
export const TRANSIT_SETTINGS: FindingSettings = { ...SCENARIO_SETTINGS, transitLateSeconds: 6 * 3_600 };

const HOUR = 3_600n;
const officer: Actor = { org: "CUSTOMS", role: "OFFICER" };
const garment: Actor = { org: "GARMENT", role: "OPERATOR" };
const terminal: Actor = { org: "TERMINAL", role: "OPERATOR" };
export const TRANSIT_DECLARATION = SETUP_DOCUMENTS.find((doc) => doc.name === "transit-g")!.hash;
const declaration = SETUP_DOCUMENTS.find((doc) => doc.name === "decl-g1")!.hash;

/** What each planted trip is, by lot. */
export interface PlantedTrip {
  lot: string;
  /** Seconds from sealing to the deadline. */
  allowed: bigint;
  alerts: Array<[SealAlert, string]>;
  /** Seconds from sealing to the unseal (null: never unsealed); `broken` for a broken seal. */
  arriveAfter: bigint | null;
  broken?: string;
  /** Held on the way this long after sealing (and destroyed `destroyAfter` later, if given). */
  holdAfter?: bigint;
  destroyAfter?: bigint;
}

export const PLANTED: PlantedTrip[] = [
  { lot: "T-ONTIME", allowed: 8n * HOUR, alerts: [["LOW_BATTERY", "12%"]], arriveAfter: 5n * HOUR },
  {
    lot: "T-BROKEN",
    allowed: 8n * HOUR,
    alerts: [
      ["ROUTE_DEVIATION", "left QL1A at Dong Dang"],
      ["OPENED", ""],
    ],
    arriveAfter: 6n * HOUR,
    broken: "wire cut",
  },
  { lot: "T-LATE", allowed: 4n * HOUR, alerts: [], arriveAfter: 6n * HOUR },
  { lot: "T-VERYLATE", allowed: 4n * HOUR, alerts: [["LONG_STOP", "9 h at Km 42"]], arriveAfter: 34n * HOUR },
  { lot: "T-EXACT", allowed: 4n * HOUR, alerts: [], arriveAfter: 4n * HOUR },
  { lot: "T-MISSING", allowed: 4n * HOUR, alerts: [], arriveAfter: null },
  { lot: "T-HELD", allowed: 4n * HOUR, alerts: [], arriveAfter: null, holdAfter: 2n * HOUR },
  { lot: "T-DESTROYED", allowed: 4n * HOUR, alerts: [], arriveAfter: null, holdAfter: 1n * HOUR, destroyAfter: 10n * HOUR },
];

export async function transitScenario(): Promise<FindingsScenario> {
  const ledger = new InMemoryLedger();
  for (const organisation of ORGANISATIONS) ledger.registerOrganisation(organisation);
  for (const facility of FACILITIES) ledger.registerFacility(facility);
  const events: LedgerEvent[] = [];
  const act = async (actor: Actor, action: Action, time: bigint) => {
    events.push(await ledger.submit(actor, action, time));
  };
  let time = START_TIME;
  for (const { actor, action } of setupActions()) await act(actor, action, (time += 10n));

  const arrived = async (lot: string, at: bigint) => {
    await act(
      garment,
      {
        type: "declare",
        lot,
        goods: { material: "FABRIC", hsCode: "52085200", unit: "KGM", quantity: 1_000n },
        direction: "IMPORT",
        preferenceClaimed: false,
        permitRequired: false,
        declaration,
      },
      at,
    );
    await act(officer, { type: "arrive", lot, facility: "GATE-HUUNGHI" }, at + 60n);
  };
  const seal = (lot: string, at: bigint, allowed: bigint, facility = "BONDED-WH") =>
    act(officer, { type: "seal", lot, facility, seal: `SEAL-${lot}`, deadline: at + allowed, transit: TRANSIT_DECLARATION }, at);

  // Each trip on its own day, its steps in time order, so the chain's time never goes back.
  for (const [day, trip] of PLANTED.entries()) {
    const start = START_TIME + BigInt(day + 1) * 24n * HOUR;
    await arrived(trip.lot, start);
    const sealedAt = start + HOUR;
    await seal(trip.lot, sealedAt, trip.allowed);
    const steps: Array<[bigint, Actor, Action]> = trip.alerts.map(([alert, detail], index) => [
      sealedAt + BigInt(index + 1) * 1_800n,
      officer,
      { type: "alert", lot: trip.lot, seal: `SEAL-${trip.lot}`, alert, detail },
    ]);
    if (trip.holdAfter !== undefined) steps.push([sealedAt + trip.holdAfter, officer, { type: "hold", lot: trip.lot, reason: "scan on the way" }]);
    if (trip.destroyAfter !== undefined) {
      steps.push([sealedAt + trip.holdAfter! + trip.destroyAfter, officer, { type: "destroy", lot: trip.lot, reason: "contraband found" }]);
    }
    if (trip.arriveAfter !== null) {
      const sealIntact = trip.broken === undefined;
      steps.push([sealedAt + trip.arriveAfter, terminal, { type: "unseal", lot: trip.lot, facility: "BONDED-WH", sealIntact, reason: trip.broken ?? "" }]);
    }
    for (const [at, actor, action] of steps.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) await act(actor, action, at);
  }

  // T-TWICE: on time to the bonded warehouse, then sealed on to the garment ICD and 3 h late.
  const twice = START_TIME + BigInt(PLANTED.length + 1) * 24n * HOUR;
  await arrived("T-TWICE", twice);
  await seal("T-TWICE", twice + HOUR, 8n * HOUR);
  await act(terminal, { type: "unseal", lot: "T-TWICE", facility: "BONDED-WH", sealIntact: true, reason: "" }, twice + 3n * HOUR);
  await act(
    officer,
    { type: "seal", lot: "T-TWICE", facility: "ICD-GARMENT", seal: "SEAL-T-TWICE-2", deadline: twice + 6n * HOUR, transit: TRANSIT_DECLARATION },
    twice + 4n * HOUR,
  );
  await act({ org: "GARMENT", role: "OPERATOR" }, { type: "unseal", lot: "T-TWICE", facility: "ICD-GARMENT", sealIntact: true, reason: "" }, twice + 9n * HOUR);

  // Ledger time goes on: unrelated anchors, an hour apart for two days.
  for (let hour = 10n; hour < 58n; hour++) {
    const hash = documentHash(`transit scenario later ${hour}`);
    await act(
      { org: "GARMENT", role: "SIGNER" },
      { type: "anchor", hash, id: `LATER-${hour}`, kind: "DECLARATION", cid: `bafy-later-${hour}`, subjects: [] },
      twice + hour * HOUR,
    );
  }
  return { organisations: ORGANISATIONS, facilities: FACILITIES, events };
}
