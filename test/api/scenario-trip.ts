/**
 * Two trips under customs seal added to the API scenario's store on day 5, decided by its domain ledger:
 * ENT-2's chips LOT-X2 sealed at GATE-1 for WH-1 with 6 h allowed, off the corridor and opened on the
 * way, unsealed 2 h late with the seal broken (held); LOT-X3 sealed for WH-1, off the corridor and
 * opened too, and still on its way past its deadline at ledger time (X2's unseal). LOT-X3's e-seal
 * readings are kept as capture keeps them (seal_reports), not anchored yet: the track its trip shows.
 */
import { sealReportRow } from "../../api/capture/log.js";
import { documentHash, type Action, type Actor, type LedgerEvent, type SealAlert } from "../../domain/index.js";
import { messageHash, type SealMessage } from "../../domain/seal-track.js";
import type { ScenarioApi } from "./scenario-api.js";
import { at } from "./scenario.js";
import { appendBlock } from "./scenario-store.js";

const officer: Actor = { org: "CUSTOMS", role: "OFFICER" };

export const TRIP = {
  lot: "LOT-X2",
  seal: "SEAL-X2",
  sealedAt: at(5, 9, 30),
  deadline: at(5, 15, 30),
  alerts: [
    { time: at(5, 11), alert: "ROUTE_DEVIATION" as SealAlert, detail: "left QL1A near Lang Son" },
    { time: at(5, 12, 30), alert: "OPENED" as SealAlert, detail: "" },
  ],
  unsealedAt: at(5, 17, 30),
  /** LOT-X3, still under seal past its deadline. */
  onTheWay: {
    lot: "LOT-X3",
    seal: "SEAL-X3",
    sealedAt: at(5, 10),
    deadline: at(5, 16),
    alerts: [
      { time: at(5, 11, 40), alert: "ROUTE_DEVIATION" as SealAlert, detail: "left QL1A near Lang Son" },
      { time: at(5, 13, 20), alert: "OPENED" as SealAlert, detail: "" },
    ],
  },
} as const;

/** From Huu Nghi towards Hanoi, a detour east after the second reading; microdegrees. */
const ROUTE: Array<[number, number]> = [
  [21_975_000, 106_705_000],
  [21_850_000, 106_760_000],
  [21_700_000, 106_900_000],
  [21_560_000, 106_820_000],
  [21_400_000, 106_600_000],
  [21_250_000, 106_350_000],
  [21_120_000, 106_100_000],
  [21_030_000, 105_850_000],
];

/** LOT-X3's readings, one per 50 minutes from the sealing; the ones at its alerts carry them, open from OPENED on. */
export function tripTrack(): SealMessage[] {
  const { seal, sealedAt, alerts } = TRIP.onTheWay;
  return ROUTE.map(([latitude, longitude], index) => {
    const time = sealedAt + BigInt(index) * 3_000n;
    const raised = alerts.filter((alert) => alert.time > time - 3_000n && alert.time <= time).map(({ alert }) => alert);
    return { seal, time, latitude: BigInt(latitude), longitude: BigInt(longitude), sealClosed: time < alerts[1].time, alerts: raised };
  });
}

export async function addTrips(api: ScenarioApi): Promise<void> {
  const { ledger } = api.scenario;
  const events: LedgerEvent[] = [];
  const submit = async (actor: Actor, action: Action, time: bigint) => events.push(await ledger.submit(actor, action, time));
  const signer: Actor = { org: "ENT-2", role: "SIGNER" };
  const transit = documentHash("scenario document TRANSIT-X2");
  await submit(signer, { type: "anchor", hash: transit, id: "TRANSIT-X2", kind: "TRANSIT", cid: "bafy-transit-x2", subjects: [] }, at(5, 8));
  for (const [index, lot] of [TRIP.lot, TRIP.onTheWay.lot].entries()) {
    const declaration = documentHash(`scenario document DECL-${lot}`);
    await submit(
      signer,
      { type: "anchor", hash: declaration, id: `DECL-${lot}`, kind: "DECLARATION", cid: `bafy-decl-${lot.toLowerCase()}`, subjects: [] },
      at(5, 8, 1 + index),
    );
    await submit(
      { org: "ENT-2", role: "OPERATOR" },
      {
        type: "declare",
        lot,
        goods: { material: "CHIP", hsCode: "85423100", unit: "PCE", quantity: 250n + BigInt(index) * 50n },
        direction: "IMPORT",
        preferenceClaimed: false,
        permitRequired: false,
        declaration,
      },
      at(5, 8, 5 + index),
    );
    await submit(officer, { type: "arrive", lot, facility: "GATE-1" }, at(5, 9, index));
  }
  await submit(officer, { type: "seal", lot: TRIP.lot, facility: "WH-1", seal: TRIP.seal, deadline: TRIP.deadline, transit }, TRIP.sealedAt);
  const { onTheWay } = TRIP;
  await submit(officer, { type: "seal", lot: onTheWay.lot, facility: "WH-1", seal: onTheWay.seal, deadline: onTheWay.deadline, transit }, onTheWay.sealedAt);
  const alerts = [
    ...TRIP.alerts.map((alert) => ({ ...alert, lot: TRIP.lot, seal: TRIP.seal })),
    ...onTheWay.alerts.map((alert) => ({ ...alert, lot: onTheWay.lot, seal: onTheWay.seal })),
  ];
  for (const { time, alert, detail, lot, seal } of alerts.sort((a, b) => (a.time < b.time ? -1 : 1))) {
    await submit(officer, { type: "alert", lot, seal, alert, detail }, time);
  }
  await submit(
    { org: "TERMINAL", role: "OPERATOR" },
    { type: "unseal", lot: TRIP.lot, facility: "WH-1", sealIntact: false, reason: "wire cut" },
    TRIP.unsealedAt,
  );
  await appendBlock(api.store, events);
  await api.store.db
    .insertInto("seal_reports")
    .values(
      tripTrack().map((message, index) =>
        sealReportRow("CUSTOMS", `urn:uuid:00000000-0000-4000-8000-${String(index).padStart(12, "0")}`, {
          message,
          hash: messageHash(message),
          lots: [onTheWay.lot],
        }),
      ),
    )
    .execute();
}
