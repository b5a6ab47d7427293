/**
 * The in-process peer's ledger applies Fabric's commit rules: read versions (MVCC), range scans
 * (phantoms), key history. Checked here on the state database directly, through the read-write set's
 * protobuf encoding, as the committer sees it.
 */
import { describe, expect, it } from "vitest";
import { decodeReadWriteSets, encodeReadWriteSet } from "../../scripts/harness/fabric/peer/rwset.js";
import { TxSimulator } from "../../scripts/harness/fabric/peer/simulator.js";
import { StateDb } from "../../scripts/harness/fabric/peer/state-db.js";
import { validateReads } from "../../scripts/harness/fabric/peer/validator.js";

const bytes = (text: string) => Buffer.from(text);
let block = 0;

/** Validates a simulation as committed, through its protobuf read-write set, and applies it if valid. */
function commit(db: StateDb, simulator: TxSimulator): string {
  const sets = decodeReadWriteSets(encodeReadWriteSet(simulator.results()));
  const code = validateReads(db, sets);
  block += 1;
  if (code === "VALID") for (const set of sets) db.apply(set.writes, { block, tx: 0 }, `tx${block}`, BigInt(block));
  return code;
}

function write(db: StateDb, key: string, value: string | null): void {
  const simulator = new TxSimulator(db, "cc");
  if (value === null) simulator.deleteState(key);
  else simulator.putState(key, bytes(value));
  expect(commit(db, simulator)).toBe("VALID");
}

describe("the simulated Fabric ledger", () => {
  it("refuses a transaction whose read key changed since it was read (MVCC_READ_CONFLICT)", () => {
    const db = new StateDb();
    write(db, "lot1", "a");
    const stale = new TxSimulator(db, "cc");
    expect(Buffer.from(stale.getState("lot1")).toString()).toBe("a");
    stale.putState("lot1", bytes("b"));
    write(db, "lot1", "c");
    expect(commit(db, stale)).toBe("MVCC_READ_CONFLICT");
    expect(Buffer.from(db.get("lot1")!.value).toString()).toBe("c");
  });

  it("refuses a transaction that read a key as absent once another created it", () => {
    const db = new StateDb();
    const creator = new TxSimulator(db, "cc");
    expect(creator.getState("lot1")).toHaveLength(0);
    creator.putState("lot1", bytes("mine"));
    write(db, "lot1", "theirs");
    expect(commit(db, creator)).toBe("MVCC_READ_CONFLICT");
  });

  it("does not let a transaction read its own writes", () => {
    const db = new StateDb();
    const simulator = new TxSimulator(db, "cc");
    simulator.putState("lot1", bytes("a"));
    expect(simulator.getState("lot1")).toHaveLength(0);
  });

  it("refuses a range scan that a later insert or delete in the range changes (PHANTOM_READ_CONFLICT)", () => {
    const db = new StateDb();
    write(db, "lot:a", "1");
    write(db, "lot:c", "1");
    const scan = () => {
      const simulator = new TxSimulator(db, "cc");
      const keys = simulator.getStateByRange("lot:", "lot;").map(([key]) => key);
      simulator.putState("summary", bytes(String(keys.length)));
      return simulator;
    };
    const beforeInsert = scan();
    const upToB = new TxSimulator(db, "cc");
    upToB.getStateByRange("lot:", "lot:b");
    upToB.putState("other", bytes("1"));

    write(db, "lot:b", "1");
    expect(commit(db, beforeInsert)).toBe("PHANTOM_READ_CONFLICT");
    expect(commit(db, upToB)).toBe("VALID");
    const beforeDelete = scan();
    write(db, "lot:a", null);
    expect(commit(db, beforeDelete)).toBe("PHANTOM_READ_CONFLICT");
  });

  it("accepts a range scan whose keys and versions are unchanged", () => {
    const db = new StateDb();
    write(db, "lot:a", "1");
    const scan = new TxSimulator(db, "cc");
    scan.getStateByRange("lot:", "lot;");
    scan.putState("summary", bytes("1"));
    write(db, "other", "1");
    expect(commit(db, scan)).toBe("VALID");
  });

  it("keeps every write of a key, deletions included, newest first", () => {
    const db = new StateDb();
    write(db, "lot1", "a");
    write(db, "lot1", null);
    write(db, "lot1", "b");
    expect(db.history("lot1").map(({ value, isDelete }) => [Buffer.from(value).toString(), isDelete])).toEqual([
      ["b", false],
      ["", true],
      ["a", false],
    ]);
    expect(db.get("lot1")?.version.block).toBe(block);
  });
});
