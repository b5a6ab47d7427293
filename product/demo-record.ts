/**
 * `<home>/demo.json`: which demo year `npm run demo` is laying, or laid, on the product's chain (seed,
 * events, first day, and the chain's genesis hash and registry, which tell this chain from an earlier
 * one in the same directory), and whether it finished. A re-run reads it to resume an interrupted load
 * or to show the year's anomalies again, never to lay a second year after the first.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { boolean, decodeAs, FormatError, fromJson, integer, object, positiveInteger, refined, string } from "../domain/json-shapes.js";

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

/** demo.json is there but not a demo record; `field` says where. */
export class DemoRecordError extends FormatError {}

const recordShape = object({
  seed: refined(integer, (seed) => seed >= 0, "a whole number ≥ 0"),
  events: positiveInteger,
  start: refined(string, (start) => /^[0-9]+$/.test(start), "a ledger time in decimal seconds"),
  genesis: string,
  registry: string,
  complete: boolean,
});

/**
 * The record of the demo on the chain `genesis`/`registry`, if any (a record of another chain is not
 * this one's). A damaged record is refused, not taken for no demo: that would lay a second year.
 */
export async function readDemoRecord(home: string, chain: { genesis: string; registry: string }): Promise<DemoRecord | undefined> {
  let text: string;
  try {
    text = await readFile(fileOf(home), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const damaged = (where: string, path: string) =>
    new DemoRecordError(`${fileOf(home)} is damaged (${where}): restore it, or move the data directory aside for a new chain`, path);
  const record: DemoRecord = decodeAs(damaged, () => fromJson(recordShape, text));
  return record.genesis === chain.genesis && record.registry.toLowerCase() === chain.registry.toLowerCase() ? record : undefined;
}

/** Replaces the record whole (written aside, then renamed over it), owner-only. */
export async function writeDemoRecord(home: string, record: DemoRecord): Promise<void> {
  const aside = `${fileOf(home)}.new`;
  await writeFile(aside, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  await rename(aside, fileOf(home));
}
