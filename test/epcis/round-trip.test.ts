/**
 * One mapping, both ways: any sequence the domain accepts, each custody event exported through the
 * EPCIS table (as JSON), captured back into an action and replayed into a fresh ledger, reproduces the
 * same lots, states and lineage (the same custody events, transitions and consumed parts included).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  documentHash,
  MAX_TRANSIT_SECONDS,
  SEAL_ALERTS,
  TraceGateError,
  type Actor,
  type DocumentKind,
  type Hash,
  type LedgerEvent,
} from "../../domain/index.js";
import { CUSTODY_ACTIONS, type CustodyAction } from "../../domain/index.js";
import { actionEvent, epcisDirectory, eventHash, fromEpcis, toEpcis } from "../../sdk/epcis/index.js";
import { DomainLedger } from "../conformance/domain-ledger.js";
import { scriptArb, ScriptContext } from "../differential/generator.js";
import { START_TIME, setUpWorld } from "../differential/setup.js";
import { ORGANISATIONS } from "../differential/world.js";

// Some places and parties with GLNs (so capture reads Digital Link back), one facility in another offset.
const directory = epcisDirectory({
  facilities: { "GATE-HUUNGHI": { gln: "8931234000011" }, "BONDED-WH": { gln: "8931234000028", utcOffset: "+08:00" }, "FACTORY-G": { utcOffset: "-03:30" } },
  organisations: { TERMINAL: { gln: "8935555000019" } },
});

/** Custody is done by customs officers and by operators of the other organisations. */
const actorOf = (org: string): Actor => ({ org, role: ORGANISATIONS.find((o) => o.id === org)?.kind === "CUSTOMS" ? "OFFICER" : "OPERATOR" });

const kindOf = (ledger: DomainLedger, hash: Hash): DocumentKind | undefined =>
  ledger.events.flatMap((event) => (event.type === "documentAnchored" && event.document.hash === hash ? [event.document.kind] : []))[0];

const lineage = (events: readonly LedgerEvent[]) =>
  events.flatMap((event) =>
    event.type === "custody" && (event.action === "split" || event.action === "transform")
      ? event.transitions
          .filter(({ from }) => from === "NONE")
          .flatMap(({ lot }) => event.transitions.filter(({ from }) => from !== "NONE").map((parent) => `${parent.lot.id}->${lot.id}`))
      : [],
  );

describe("EPCIS export and capture", () => {
  it("replaying the captured export of any accepted sequence rebuilds the same network", async () => {
    let custodyEvents = 0;
    await fc.assert(
      fc.asyncProperty(scriptArb(40), async (script) => {
        const a = new DomainLedger();
        const b = new DomainLedger();
        await setUpWorld(a);
        await setUpWorld(b);
        const context = new ScriptContext(a);
        for (const [index, choice] of script.entries()) {
          const { actor, action } = context.concretize(choice);
          const time = START_TIME + BigInt(index) * 10n;
          let event: LedgerEvent;
          try {
            event = await a.submit(actor, action, time);
          } catch (error) {
            if (error instanceof TraceGateError) continue;
            throw error;
          }
          if (event.type !== "custody") {
            await b.submit(actor, action, time);
            continue;
          }
          custodyEvents++;
          const wire = JSON.parse(JSON.stringify(toEpcis(event, { directory, kindOf: (hash) => kindOf(a, hash) })));
          const captured = fromEpcis(wire, { directory });
          expect(captured.actor).toBe(actor.org);
          await b.submit(actorOf(captured.actor!), captured.action, time);
        }
        const byId = (ledger: DomainLedger) => ledger.allLots().sort((x, y) => (x.id < y.id ? -1 : 1));
        expect(byId(b)).toEqual(byId(a));
        expect(b.events.filter((e) => e.type === "custody")).toEqual(a.events.filter((e) => e.type === "custody"));
        expect(lineage(b.events)).toEqual(lineage(a.events));
      }),
      { numRuns: 120 },
    );
    expect(custodyEvents).toBeGreaterThan(500); // the sequences do reach deep into the table
  });

  it("a client's event for any custody action (actionEvent) captures back as that action", () => {
    let actions = 0;
    fc.assert(
      fc.property(scriptArb(30), fc.bigInt({ min: 0n, max: 4_000_000_000n }), (script, time) => {
        const context = new ScriptContext(new DomainLedger());
        for (const choice of script) {
          const { action } = context.concretize(choice);
          if (!(CUSTODY_ACTIONS as readonly string[]).includes(action.type)) continue;
          actions++;
          const wire = JSON.parse(JSON.stringify(actionEvent(action as CustodyAction, { directory, time, eventID: "urn:uuid:x" })));
          expect(fromEpcis(wire, { directory }).action).toEqual(action);
        }
      }),
      { numRuns: 200 },
    );
    expect(actions).toBeGreaterThan(1000);
  });
});

const sealIdArb = fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,30}$/);
/** Free text as a client types it (a colon and space included: they separate an alert from its detail). */
const remarkArb = fc.string({ maxLength: 60 });

describe("transit under seal, exported and captured", () => {
  const transit = documentHash("round-trip transit declaration");
  const officer: Actor = { org: "CUSTOMS", role: "OFFICER" };
  const operator: Actor = { org: "TERMINAL", role: "OPERATOR" };

  it("a seal, its alerts and the unseal (intact, broken or overdue) replay from their captured export into the same events", async () => {
    let overdue = 0;
    let broken = 0;
    await fc.assert(
      fc.asyncProperty(
        sealIdArb,
        fc.bigInt({ min: 1n, max: MAX_TRANSIT_SECONDS }),
        fc.array(fc.record({ alert: fc.constantFrom(...SEAL_ALERTS), detail: remarkArb }), { maxLength: 3 }),
        fc.record({ intact: fc.boolean(), remark: remarkArb, after: fc.bigInt({ min: 1n, max: 2n * MAX_TRANSIT_SECONDS }), byOperator: fc.boolean() }),
        async (seal, window, alerts, unseal) => {
          const a = new DomainLedger();
          const b = new DomainLedger();
          for (const ledger of [a, b]) {
            await setUpWorld(ledger);
            await ledger.submit(
              { org: "CUSTOMS", role: "SIGNER" },
              { type: "anchor", hash: transit, id: "TRANSIT-1", kind: "TRANSIT", cid: "bafy-transit", subjects: [] },
              START_TIME,
            );
          }
          const sealedAt = START_TIME + 20n;
          const reason = unseal.intact || unseal.remark !== "" ? unseal.remark : "wire cut";
          const steps: Array<[Actor, CustodyAction, bigint]> = [
            [officer, { type: "arrive", lot: "LOT-A", facility: "GATE-HUUNGHI" }, START_TIME + 10n],
            [officer, { type: "seal", lot: "LOT-A", facility: "BONDED-WH", seal, deadline: sealedAt + window, transit }, sealedAt],
            ...alerts.map(({ alert, detail }, i): [Actor, CustodyAction, bigint] => [
              officer,
              { type: "alert", lot: "LOT-A", seal, alert, detail },
              sealedAt + BigInt(i) + 1n,
            ]),
            [
              unseal.byOperator ? operator : officer,
              { type: "unseal", lot: "LOT-A", facility: "BONDED-WH", sealIntact: unseal.intact, reason },
              sealedAt + unseal.after,
            ],
          ];
          for (const [actor, action, time] of steps) {
            const event = await a.submit(actor, action, time);
            if (event.type !== "custody") throw new Error("a custody action made no custody event");
            const wire = JSON.parse(JSON.stringify(toEpcis(event, { directory, kindOf: (hash) => kindOf(a, hash) })));
            const captured = fromEpcis(wire, { directory });
            expect(captured.action).toEqual(action);
            await b.submit(actor, captured.action, time);
          }
          const last = a.events.at(-1)!;
          if (last.type === "custody" && last.flagged) unseal.intact ? overdue++ : broken++;
          expect(b.allLots()).toEqual(a.allLots());
          expect(b.events.filter((e) => e.type === "custody")).toEqual(a.events.filter((e) => e.type === "custody"));
        },
      ),
      { numRuns: 60 },
    );
    expect(overdue).toBeGreaterThan(0);
    expect(broken).toBeGreaterThan(0);
  });

  it("a client's event for any seal, unseal or alert (actionEvent) captures back as that action", () => {
    const lotArb = fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,30}$/);
    const facilityArb = fc.constantFrom("GATE-HUUNGHI", "BONDED-WH", "FACTORY-G", "WH-9");
    const actionArb: fc.Arbitrary<CustodyAction> = fc.oneof(
      fc.record({
        type: fc.constant("seal" as const),
        lot: lotArb,
        facility: facilityArb,
        seal: sealIdArb,
        deadline: fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }),
        transit: fc.constant(transit),
      }),
      fc.record({ type: fc.constant("unseal" as const), lot: lotArb, facility: facilityArb, sealIntact: fc.boolean(), reason: remarkArb }),
      fc.record({ type: fc.constant("alert" as const), lot: lotArb, seal: sealIdArb, alert: fc.constantFrom(...SEAL_ALERTS), detail: remarkArb }),
    );
    fc.assert(
      fc.property(actionArb, fc.bigInt({ min: 0n, max: 4_000_000_000n }), (action, time) => {
        const wire = JSON.parse(JSON.stringify(actionEvent(action, { directory, time })));
        expect(fromEpcis(wire, { directory }).action).toEqual(action);
        expect(eventHash(wire)).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
      }),
      { numRuns: 300 },
    );
  });
});
