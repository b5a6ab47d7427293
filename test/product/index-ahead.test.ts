/**
 * An index ahead of the chain's journal (the journal restored from an older backup, or cut to its
 * intact blocks): the product refuses to start, says which block the index holds and what the journal
 * has instead, and what to do; the journal is left as it was. Both ways: a journal that ends before
 * the index's block, and one that has another block at that number.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IndexAheadError } from "../../product/index-ahead.js";
import { startProduct } from "../../product/product.js";
import { readProductSettings } from "../../product/settings.js";
import { openPersistentDemoNetwork } from "../../product/chain/persistent-network.js";

const quiet = () => undefined;
const home = mkdtempSync(join(tmpdir(), "tracegate-index-ahead-"));
const journal = join(home, "chain", "journal.ndjson");
const older = join(home, "journal.older");
const settings = () => readProductSettings({ TRACEGATE_HOME: home, TRACEGATE_PORT: "0", TRACEGATE_RPC_PORT: "0", TRACEGATE_METRICS_PORT: "0" }, process.cwd());
afterAll(() => rmSync(home, { recursive: true, force: true }));

/**
 * Adds `count` blocks to the chain in `home`, in process, each with a value transfer (`transfers`) or
 * empty; returns the new head's number and hash.
 */
async function mine(count: number, transfers: boolean): Promise<{ number: bigint; hash: string }> {
  const network = await openPersistentDemoNetwork({ dataDir: home });
  const request = (method: string, params: unknown[] = []) => network.chain.provider.request({ method, params });
  try {
    // The chain's one genesis account pays itself: a block with a transaction in it.
    const [from] = (await request("eth_accounts")) as string[];
    for (let block = 0; block < count; block++) await (transfers ? request("eth_sendTransaction", [{ from, to: from, value: "0x1" }]) : request("evm_mine"));
    const head = (await request("eth_getBlockByNumber", ["latest", false])) as { number: string; hash: string };
    return { number: BigInt(head.number), hash: head.hash };
  } finally {
    await network.chain.stop();
  }
}

let journalEnd: bigint;
let indexed: { number: bigint; hash: string };

beforeAll(async () => {
  await (await startProduct(settings(), quiet)).stop();
  cpSync(journal, older);
  journalEnd = (await mine(0, false)).number;
  indexed = await mine(3, true);
  // The index follows the chain up to its head before the product has started.
  await (await startProduct(settings(), quiet)).stop();
}, 120_000);

async function refusal(): Promise<IndexAheadError> {
  const before = readFileSync(journal);
  const error = await startProduct(settings(), quiet).then(
    async (product) => {
      await product.stop();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IndexAheadError);
  expect(readFileSync(journal).equals(before)).toBe(true);
  return error as IndexAheadError;
}

describe("an index ahead of the chain's journal", () => {
  it("refuses to start when the journal ends before the index's block, and says what to do", async () => {
    cpSync(older, journal);
    const { message } = await refusal();
    expect(message).toContain(
      `the index is ahead of the chain journal ${journal}: the index holds blocks up to ${indexed.number} (${indexed.hash}), but the journal ends at block ${journalEnd}`,
    );
    expect(message).toContain("Nothing was changed");
    expect(message).toContain(
      `Restore the journal that goes with this index; or, to go on from this journal, move ${join(home, "index.sqlite")} aside with its -wal and -shm files`,
    );
  });

  it("refuses to start when the journal has another block at the index's block number", async () => {
    cpSync(older, journal);
    await mine(5, false); // other blocks than the index's: no transfers in them
    const { message } = await refusal();
    expect(message).toContain(`the index holds blocks up to ${indexed.number} (${indexed.hash}), but the journal's block ${indexed.number} is `);
    const other = /but the journal's block \d+ is (0x[0-9a-f]{64})\./.exec(message)?.[1];
    expect(other).toBeDefined();
    expect(other).not.toBe(indexed.hash);
  });
});
