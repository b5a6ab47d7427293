/** `<home>/demo.json`: read back as written, another chain's ignored, a damaged one refused by field. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DemoRecordError, readDemoRecord, writeDemoRecord, type DemoRecord } from "../../product/demo-record.js";

const chain = { genesis: `0x${"a".repeat(64)}`, registry: `0x${"B".repeat(40)}` };
const record: DemoRecord = { seed: 1, events: 10_000, start: "1767225600", ...chain, complete: false };

describe("the demo record", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "tracegate-demo-record-"));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it("is read back for its chain only", async () => {
    expect(await readDemoRecord(home, chain)).toBeUndefined();
    await writeDemoRecord(home, record);
    expect(await readDemoRecord(home, { ...chain, registry: chain.registry.toLowerCase() })).toEqual(record);
    expect(await readDemoRecord(home, { ...chain, genesis: `0x${"c".repeat(64)}` })).toBeUndefined();
  });

  it("is refused when damaged, naming the field, rather than taken for no demo", async () => {
    for (const [damage, field] of [
      [{ ...record, start: 1767225600 }, "start"],
      [{ ...record, registry: undefined }, "registry"],
      [{ ...record, events: -5 }, "events"],
      ["{", ""],
    ] as const) {
      await writeFile(join(home, "demo.json"), typeof damage === "string" ? damage : JSON.stringify(damage));
      const error = await readDemoRecord(home, chain).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(damage)).toBeInstanceOf(DemoRecordError);
      expect((error as DemoRecordError).field).toBe(field);
    }
  });
});
