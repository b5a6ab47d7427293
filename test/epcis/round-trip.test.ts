/**
 * One mapping, both ways: any sequence the domain accepts, each custody event exported through the
 * EPCIS table (as JSON), captured back into an action and replayed into a fresh ledger, reproduces the
 * same lots, states and lineage (the same custody events, transitions and consumed parts included).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TraceGateError, type Actor, type DocumentKind, type Hash, type LedgerEvent } from "../../domain/index.js";
import { CUSTODY_ACTIONS, type CustodyAction } from "../../domain/index.js";
import { actionEvent, epcisDirectory, fromEpcis, toEpcis } from "../../sdk/epcis/index.js";
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
