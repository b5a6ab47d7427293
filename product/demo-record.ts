/**
 * `<home>/demo.json`: which demo year `npm run demo` is laying, or laid, on the product's chain (seed,
 * events, first day, and the chain's genesis hash and registry, which tell this chain from an earlier
 * one in the same directory), and whether it finished. A re-run reads it to resume an interrupted load
 * or to show the year's anomalies again, never to lay a second year after the first.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import { resolve } from "node:path";

export interface DemoRecord {
  seed: number;
  events: number;
  /** The year's first second (ledger time, decimal). */
  start: string;
  /** The chain's genesis block hash and registry address. */
  genesis: string;
  registry: string;
  complete: boolean;
}

const fileOf = (home: string) => resolve(home, "demo.json");

/** The record of the demo on the chain `genesis`/`registry`, if any (a record of another chain is not this one's). */
export async function readDemoRecord(home: string, chain: { genesis: string; registry: string }): Promise<DemoRecord | undefined> {
  let record: DemoRecord;
  try {
    record = JSON.parse(await readFile(fileOf(home), "utf8")) as DemoRecord;
  } catch {
    return undefined;
  }
  return record.genesis === chain.genesis && record.registry.toLowerCase() === chain.registry.toLowerCase() ? record : undefined;
}

/** Replaces the record whole (written aside, then renamed over it), owner-only. */
export async function writeDemoRecord(home: string, record: DemoRecord): Promise<void> {
  const aside = `${fileOf(home)}.new`;
  await writeFile(aside, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  await rename(aside, fileOf(home));
}
