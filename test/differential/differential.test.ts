/**
 * The domain and the EVM contracts, given the same random action sequences, must agree on every
 * accept/reject, error code, event and resulting state.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TraceGateError, type Action, type Actor, type LedgerEvent } from "../../domain/index.js";
import { DomainLedger } from "../conformance/domain-ledger.js";
import { EvmChain } from "../conformance/evm-chain.js";
import { EvmConformanceLedger } from "../conformance/evm-ledger.js";
import type { ConformanceLedger } from "../conformance/ledger.js";
import { scriptArb, ScriptContext, type Choice } from "./generator.js";
import { START_TIME, setUpWorld, setupSteps } from "./setup.js";
import { FACILITIES, ORGANISATIONS } from "./world.js";

/** Sequences per run of the suite; FC_RUNS raises it for a longer hunt. */
const RUNS = Number(process.env.FC_RUNS ?? 1_000);
const MAX_STEPS = 24;

type Outcome = { accepted: true; event: LedgerEvent } | { accepted: false; code: string };

async function outcomeOf(ledger: ConformanceLedger, actor: Actor, action: Action, time: bigint): Promise<Outcome> {
  try {
    return { accepted: true, event: await ledger.submit(actor, action, time) };
  } catch (error) {
    if (error instanceof TraceGateError) return { accepted: false, code: error.code };
    throw error;
  }
}

describe("differential: domain vs EVM contracts", () => {
  let chain: EvmChain;
  beforeAll(async () => {
    chain = await EvmChain.start();
  });
  afterAll(() => chain.stop());

  it(`agree on ${RUNS} random action sequences`, async () => {
    let steps = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(scriptArb(MAX_STEPS), async (script: Choice[]) => {
        const domain = new DomainLedger();
        const evm = new EvmConformanceLedger(chain);
        await setUpWorld(domain);
        await evm.registerAndSetUp(ORGANISATIONS, FACILITIES, setupSteps()); // from a snapshot after the first run
        const context = new ScriptContext(domain);
        for (const [index, choice] of script.entries()) {
          const { actor, action } = context.concretize(choice);
          const time = START_TIME + BigInt(index) * 10n;
          const expected = await outcomeOf(domain, actor, action, time);
          const actual = await outcomeOf(evm, actor, action, time);
          expect(actual, `step ${index}: ${action.type} by ${actor.org}/${actor.role}`).toEqual(expected);
          steps += 1;
          if (expected.accepted) accepted += 1;
        }
        for (const lot of domain.allLots()) expect(await evm.lot(lot.id), `lot ${lot.id}`).toEqual(lot);
        for (const hash of context.documents.map((d) => d.hash)) {
          const document = await domain.document(hash);
          const record = await evm.document(hash);
          if (document === undefined) expect(record).toBeUndefined();
          else {
            const { hash: _, kind, issuer, version, status, supersededBy, anchoredAt } = document;
            expect(record).toEqual({ hash, kind, issuer, version, status, supersededBy, anchoredAt });
          }
        }
      }),
      { numRuns: RUNS },
    );
    // Guard against a generator that stops reaching real behaviour: most steps must still be decided
    // by the rules beyond argument checks, and a good share accepted.
    expect(accepted / steps).toBeGreaterThan(0.3);
  });
});
