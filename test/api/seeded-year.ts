/**
 * The demo's seeded year (seeds/, seed 1, about 10,000 events) as a store holds it: the domain ledger
 * decides every step, then the events are indexed into a fresh SQLite store, the registry in block 0
 * and one block per ledger time, as a chain would cut them. Shared by the tests that read the year.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { API_AUDIENCE, DEV_TOKEN_ISSUER, devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { startApiServer } from "../../api/server.js";
import { InMemoryLedger, type LedgerEvent, type LedgerTime } from "../../domain/index.js";
import type { ChainEvent, IndexedEvent } from "../../indexer/events.js";
import { openCheckpoint } from "../../indexer/store/checkpoint.js";
import { commitBatch } from "../../indexer/store/commit.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { CUSTOMS } from "../../seeds/registry.js";
import { generateScenario, type Scenario } from "../../seeds/scenario.js";
import type { Step } from "../../seeds/step.js";

/** Blocks per write transaction while indexing. */
const BLOCKS_PER_BATCH = 500;

export interface SeededYear {
  scenario: Scenario;
  events: LedgerEvent[];
}

/** Runs the year's steps through the domain ledger; `onStep` sees each step as it is decided. */
export async function seededYear(onStep?: (step: Step) => void): Promise<SeededYear> {
  const scenario = generateScenario({ seed: 1 });
  const ledger = new InMemoryLedger();
  for (const organisation of scenario.organisations) ledger.registerOrganisation(organisation);
  for (const facility of scenario.facilities) ledger.registerFacility(facility);
  const events: LedgerEvent[] = [];
  for await (const step of scenario.steps) {
    events.push(await ledger.submit(step.actor, step.action, step.time));
    onStep?.(step);
  }
  return { scenario, events };
}

/** Indexes the year into `target`. */
export async function indexSeededYear(target: Store, { scenario: { organisations, facilities, period }, events: ledgerEvents }: SeededYear): Promise<void> {
  const registrations: IndexedEvent[] = [
    ...organisations.map(({ id, kind }): IndexedEvent => ({ type: "organisationRegistered", id, kind, time: period.from - 1n })),
    ...facilities.map(({ id, kind, operator }): IndexedEvent => ({ type: "facilityRegistered", id, kind, operator, time: period.from - 1n })),
  ];
  const blocks: IndexedEvent[][] = [registrations];
  let last: LedgerTime | undefined;
  for (const event of ledgerEvents) {
    if (event.time !== last) blocks.push([]);
    blocks.at(-1)!.push(event);
    last = event.time;
  }
  const hash = (label: string) => `0x${createHash("sha256").update(label).digest("hex")}`;
  let checkpoint = await openCheckpoint(target.db, "seeded year");
  for (let first = 0; first < blocks.length; first += BLOCKS_PER_BATCH) {
    const batch = blocks.slice(first, first + BLOCKS_PER_BATCH);
    const chainEvents: ChainEvent[] = batch.flatMap((block, offset) =>
      block.map((event, index) => ({ block: BigInt(first + offset), index, tx: hash(`tx ${first + offset} ${index}`), event })),
    );
    const to = BigInt(first + batch.length - 1);
    ({ checkpoint } = await commitBatch(target, checkpoint, {
      events: chainEvents,
      to: { number: to, hash: hash(`block ${to}`) },
      headers: [],
      finalUpTo: to,
    }));
  }
}

/** The year indexed into a fresh SQLite store, served by the API, with a customs auditor's token. */
export interface SeededYearApi {
  url: string;
  token: string;
  close(): Promise<void>;
}

export async function startSeededYearApi(year: SeededYear): Promise<SeededYearApi> {
  const directory = await mkdtemp(join(tmpdir(), "tracegate-seeded-year-"));
  const store = await openStore(join(directory, "year.sqlite"));
  await indexSeededYear(store, year);
  const issuer = await devTokenIssuer();
  const server = await startApiServer({ store, tokens: { keys: issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE } });
  return {
    url: server.url,
    token: await issuer.mint(CUSTOMS, "AUDITOR"),
    async close() {
      await server.close();
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
