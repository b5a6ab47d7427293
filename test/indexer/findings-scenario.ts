/**
 * A small trade history that plants one case of every finding kind (and its near misses), decided by
 * the domain ledger: over-consumption, a C/O revoked after the clearance it supported, a long stay at
 * a gate among many short ones, a slow gate, goods released and never (or late) received, holds with
 * each outcome, a declaration amended twice, and — crafted, since the ledger's rules forbid it — a
 * split whose parts do not add up. Used by the indexer's findings tests and the API's role tests.
 */
import {
  documentHash,
  InMemoryLedger,
  type Action,
  type Actor,
  type CustodyEvent,
  type Facility,
  type LedgerEvent,
  type Organisation,
} from "../../domain/index.js";
import type { ChainEvent, IndexedEvent } from "../../indexer/events.js";
import type { FindingSettings } from "../../indexer/findings/settings.js";
import { FACILITIES, ORGANISATIONS, setupActions, SETUP_DOCUMENTS } from "../differential/world.js";
import { START_TIME } from "../differential/setup.js";

/** Thresholds small enough for a small history. */
export const SCENARIO_SETTINGS: FindingSettings = {
  overNormPercent: 0,
  longStayFactor: 3,
  minStays: 4,
  slowFacilityFactor: 4,
  receiveWithinSeconds: 3 * 86_400,
  amendmentVersions: 3,
  transitLateSeconds: 6 * 3_600,
};

export const SCENARIO_FACILITIES: Facility[] = [
  ...FACILITIES,
  { id: "GATE-MONGCAI", kind: "BORDER_GATE", operator: "CUSTOMS" },
  { id: "GATE-LAOCAI", kind: "BORDER_GATE", operator: "CUSTOMS" },
];

const HOUR = 3_600n;
const officer: Actor = { org: "CUSTOMS", role: "OFFICER" };
const garment: Actor = { org: "GARMENT", role: "OPERATOR" };
const co = SETUP_DOCUMENTS.find((doc) => doc.name === "co-1")!.hash;
const declaration = SETUP_DOCUMENTS.find((doc) => doc.name === "decl-g1")!.hash;

export interface FindingsScenario {
  organisations: Organisation[];
  facilities: Facility[];
  events: LedgerEvent[];
}

export async function findingsScenario(): Promise<FindingsScenario> {
  const ledger = new InMemoryLedger();
  for (const organisation of ORGANISATIONS) ledger.registerOrganisation(organisation);
  for (const facility of SCENARIO_FACILITIES) ledger.registerFacility(facility);
  const events: LedgerEvent[] = [];
  let time = START_TIME;
  const act = async (actor: Actor, action: Action, after = 0n) => {
    time += after;
    events.push(await ledger.submit(actor, action, time));
    return events.at(-1)!;
  };
  for (const { actor, action } of setupActions()) await act(actor, action, 10n);

  /** An import of `material` through `gate`, waiting `wait` hours there, cleared, released (and received unless told). */
  const importLot = async (
    lot: string,
    gate: string,
    wait: bigint,
    options: { material?: string; claim?: boolean; receiveAfter?: bigint | null; hold?: "open" | "unhold" | "destroy" } = {},
  ) => {
    const material = options.material ?? "FABRIC";
    await act(
      garment,
      {
        type: "declare",
        lot,
        goods: { material, hsCode: "52085200", unit: "KGM", quantity: 1_000n },
        direction: "IMPORT",
        preferenceClaimed: options.claim ?? false,
        permitRequired: false,
        declaration,
      },
      HOUR,
    );
    await act(officer, { type: "arrive", lot, facility: gate }, HOUR);
    if (options.hold !== undefined) {
      await act(officer, { type: "hold", lot, reason: "inspection" }, wait * HOUR);
      if (options.hold === "open") return;
      await act(officer, options.hold === "unhold" ? { type: "unhold", lot } : { type: "destroy", lot, reason: "counterfeit" }, 24n * HOUR);
      if (options.hold === "destroy") return;
      wait = 1n;
    }
    await act(officer, { type: "clear", lot, co: options.claim ? co : null, permit: null }, wait * HOUR);
    await act(officer, { type: "release", lot }, HOUR);
    const receiveAfter = options.receiveAfter === undefined ? 5n : options.receiveAfter;
    if (receiveAfter !== null) await act(garment, { type: "receive", lot, facility: "FACTORY-G" }, receiveAfter * HOUR);
  };

  // The usual: 3 h at Huu Nghi (one lot 48 h), 4 h at Cat Lai, 5 h at Mong Cai; Lao Cai takes 5 days.
  for (let i = 0; i < 23; i++) await importLot(`HN-${i}`, "GATE-HUUNGHI", 3n);
  await importLot("HN-LONG", "GATE-HUUNGHI", 48n);
  for (let i = 0; i < 4; i++) await importLot(`CL-${i}`, "GATE-CATLAI", 4n);
  for (let i = 0; i < 4; i++) await importLot(`MC-${i}`, "GATE-MONGCAI", 5n);
  for (let i = 0; i < 4; i++) await importLot(`LC-${i}`, "GATE-LAOCAI", 120n);
  await importLot("THREAD-1", "GATE-CATLAI", 4n, { material: "THREAD" });
  await importLot("CO-LOT", "GATE-CATLAI", 4n, { claim: true });
  await importLot("LATE", "GATE-MONGCAI", 5n, { receiveAfter: 100n });
  await importLot("NEVER", "GATE-MONGCAI", 5n, { receiveAfter: null });
  await importLot("HELD-OPEN", "GATE-CATLAI", 4n, { hold: "open" });
  await importLot("HELD-UNHOLD", "GATE-CATLAI", 4n, { hold: "unhold" });
  await importLot("HELD-DESTROY", "GATE-CATLAI", 4n, { hold: "destroy" });

  // 10 shirts allow 12.6 kg of fabric (5% waste): 20 is over; the thread is within its norm.
  await act(
    garment,
    {
      type: "transform",
      product: "SHIRT",
      inputs: [
        { lot: "HN-0", quantity: 20n },
        { lot: "THREAD-1", quantity: 3n },
      ],
      outputs: [{ lot: "SHIRT-1", quantity: 10n }],
    },
    HOUR,
  );
  await act(
    garment,
    {
      type: "transform",
      product: "SHIRT",
      inputs: [
        { lot: "HN-1", quantity: 12n },
        { lot: "THREAD-1", quantity: 3n },
      ],
      outputs: [{ lot: "SHIRT-2", quantity: 10n }],
    },
    HOUR,
  );

  // A declaration amended twice (three versions), another once.
  const version = (name: string) => documentHash(`findings scenario ${name}`);
  const signer: Actor = { org: "GARMENT", role: "SIGNER" };
  await act(signer, { type: "anchor", hash: version("A1"), id: "DECL-A", kind: "DECLARATION", cid: "bafy-a1", subjects: [] }, HOUR);
  await act(signer, { type: "supersede", previous: version("A1"), hash: version("A2"), id: "DECL-A", cid: "bafy-a2", subjects: [] }, HOUR);
  await act(signer, { type: "supersede", previous: version("A2"), hash: version("A3"), id: "DECL-A", cid: "bafy-a3", subjects: [] }, HOUR);
  await act(signer, { type: "anchor", hash: version("B1"), id: "DECL-B", kind: "DECLARATION", cid: "bafy-b1", subjects: [] }, HOUR);
  await act(signer, { type: "supersede", previous: version("B1"), hash: version("B2"), id: "DECL-B", cid: "bafy-b2", subjects: [] }, HOUR);

  // The C/O behind CO-LOT's clearance is revoked a week later.
  await act({ org: "VCCI", role: "SIGNER" }, { type: "revoke", hash: co, reason: "origin criteria not met" }, 7n * 24n * HOUR);

  // A split of HN-2 into 600 + 400, written as if the second part were 300: 100 kg vanish.
  const split = (await act(
    garment,
    {
      type: "split",
      lot: "HN-2",
      parts: [
        { lot: "HN-2-A", quantity: 600n },
        { lot: "HN-2-B", quantity: 400n },
      ],
    },
    HOUR,
  )) as CustodyEvent;
  events[events.length - 1] = {
    ...split,
    transitions: split.transitions.map((transition) =>
      transition.lot.id === "HN-2-B" ? { ...transition, lot: { ...transition.lot, quantity: 300n } } : transition,
    ),
  };
  return { organisations: ORGANISATIONS, facilities: SCENARIO_FACILITIES, events };
}

const hash = (block: bigint) => `0x${block.toString(16).padStart(64, "0")}`;

/** The scenario on a made-up chain: the registrations in block 0, then event i in block i + 1. */
export function scenarioOnChain({ organisations, facilities, events }: FindingsScenario): ChainEvent[] {
  const time = events[0]!.time - 1n;
  const registrations: IndexedEvent[] = [
    ...organisations.map(({ id, kind }): IndexedEvent => ({ type: "organisationRegistered", id, kind, time })),
    ...facilities.map(({ id, kind, operator }): IndexedEvent => ({ type: "facilityRegistered", id, kind, operator, time })),
  ];
  return [
    ...registrations.map((event, index) => ({ block: 0n, index, tx: hash((1n << 200n) + BigInt(index)), event })),
    ...events.map((event, i) => ({ block: BigInt(i + 1), index: 0, tx: hash((1n << 201n) + BigInt(i)), event })),
  ];
}
