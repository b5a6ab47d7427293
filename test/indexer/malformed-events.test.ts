/**
 * Logs the contracts now refuse to emit, as a contract deployed before they checked ids, CIDs and
 * reasons could have emitted them: an id without a terminating zero byte, ids with bytes outside
 * printable ASCII or a zero inside, a CID with a zero byte and bytes that are not UTF-8, reasons that
 * are not UTF-8. A test-only contract (contracts/test/LegacyEmitter.sol) emits them with TraceGate's
 * event signatures on the in-process chain; the indexer, following it as registry and custody, must
 * ingest past them on both store engines (it used to retry their block forever), record each event in
 * the marked form the codec gives (ids as their raw word in 0x hex, bad UTF-8 as U+FFFD), report every
 * malformed value with its place on the chain, and go on to the valid events after them.
 */
import { encodeBytes32String, ZeroHash, type Contract } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash, type CustodyEvent } from "../../domain/index.js";
import { Indexer } from "../../indexer/indexer.js";
import { EvmSource, type MalformedValue } from "../../indexer/sources/evm/evm-source.js";
import { providerBatchRpc } from "../../sdk/evm/batch-rpc.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { eventsFrom } from "../../indexer/store/read/events.js";
import { lotHistory } from "../../indexer/store/read/queries.js";
import { startPostgres, type PostgresServer } from "../../scripts/harness/postgres-server.js";
import { failFast } from "./fail-fast.js";

const word = (bytes: Buffer) => `0x${bytes.toString("hex").padEnd(64, "0")}`;
/** 32 printable bytes: no room for the terminating zero. */
const UNTERMINATED = word(Buffer.from("LOT-".repeat(8)));
/** "LOT" then 0xff. */
const NOT_ASCII = word(Buffer.from([0x4c, 0x4f, 0x54, 0xff]));
/** "DO", a zero byte, "C". */
const ZERO_INSIDE = word(Buffer.from([0x44, 0x4f, 0x00, 0x43]));
/** "HQ " (a space). */
const SPACE = word(Buffer.from("HQ "));
const BAD_REASON = Buffer.from([0x48, 0xc3, 0x28, 0xff, 0x21]);
const BAD_CID = Buffer.from([0x62, 0x61, 0x00, 0xfe, 0x79]);
const DECLARATION = documentHash("a declaration");

// Enum indexes (contracts/types/Enums.sol).
const CUSTOMS = 0;
const ENTERPRISE = 1;
const DECLARE = 0;
const HOLD = 3;
const NONE = 0;
const DECLARED = 1;
const HELD = 4;
const IMPORT = 1;

const lot = (id: string, state: number, priorState = NONE) => ({
  id,
  material: encodeBytes32String("FAB-COT"),
  hsCode: encodeBytes32String("52085200"),
  unit: encodeBytes32String("MTR"),
  quantity: 1000n,
  owner: 2,
  custodian: 2,
  location: ZeroHash,
  state,
  priorState,
  direction: IMPORT,
  preferenceClaimed: false,
  permitRequired: false,
  declaration: DECLARATION,
});

let postgres: PostgresServer;
let connection: Awaited<ReturnType<typeof openChain>>;
let emitter: Contract;

async function openChain() {
  return (await import("hardhat")).default.network.create();
}

beforeAll(async () => {
  [postgres, connection] = await Promise.all([startPostgres(), openChain()]);
  emitter = (await (await connection.ethers.getContractFactory("LegacyEmitter")).deploy()) as unknown as Contract;
  await emitter.waitForDeployment();
  const send = async (name: string, ...args: unknown[]) => (await emitter.getFunction(name)(...args)).wait();
  await send("registerOrganisation", encodeBytes32String("VNCUSTOMS"), 1, CUSTOMS);
  await send("registerOrganisation", encodeBytes32String("AN-PHAT"), 2, ENTERPRISE);
  await send("registerOrganisation", SPACE, 3, CUSTOMS);
  await send("recordLot", DECLARE, 2, NONE, lot(UNTERMINATED, DECLARED), "0x");
  await send("recordLot", HOLD, 3, DECLARED, lot(UNTERMINATED, HELD, DECLARED), BAD_REASON);
  await send("recordLot", DECLARE, 2, NONE, lot(NOT_ASCII, DECLARED), "0x");
  await send("anchor", DECLARATION, 2, ZERO_INSIDE, BAD_CID, [UNTERMINATED, encodeBytes32String("LOT-OK")]);
  await send("revoke", DECLARATION, 2, BAD_REASON);
  // And after all of them, a well-formed event.
  await send("recordLot", DECLARE, 2, NONE, lot(encodeBytes32String("LOT-OK"), DECLARED), "0x");
});

afterAll(async () => {
  await connection?.close();
  await postgres?.stop();
});

describe.each([
  { engine: "SQLite", open: () => openStore(":memory:") },
  { engine: "PostgreSQL", open: () => openStore(postgres.url) },
])("an indexer on $engine", ({ open }) => {
  let store: Store;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(() => store?.close());

  it("ingests past events with malformed ids and strings, records them marked, and reports each value", async () => {
    const address = await emitter.getAddress();
    const reported: MalformedValue[] = [];
    const source = await EvmSource.connect(
      providerBatchRpc(connection.provider),
      { registry: address, custody: address },
      { onMalformed: (value) => reported.push(value) },
    );
    await (await Indexer.open(store, source, { finality: 0, batchBlocks: 3, pollMs: 1 }, failFast)).run({ untilHead: true });

    const hex = (id: string) => id.toLowerCase();
    const held = await lotHistory(store.db, hex(UNTERMINATED));
    expect(held.map((event) => [event.action, event.actor, event.reason])).toEqual([
      ["declare", "AN-PHAT", ""],
      ["hold", hex(SPACE), "H\uFFFD(\uFFFD!"],
    ]);
    expect(held[1]!.transitions[0]!.lot).toMatchObject({ id: hex(UNTERMINATED), material: "FAB-COT", state: "HELD", priorState: "DECLARED" });
    expect((await lotHistory(store.db, hex(NOT_ASCII))).map((event) => event.action)).toEqual(["declare"]);
    expect((await lotHistory(store.db, "LOT-OK")).map((event) => event.action)).toEqual(["declare"]);

    const events = (await eventsFrom(store.db, 0n)).map(({ event }) => event);
    expect(events.map((event) => (event.type === "custody" ? (event as CustodyEvent).action : event.type))).toEqual([
      "organisationRegistered",
      "organisationRegistered",
      "organisationRegistered",
      "declare",
      "hold",
      "declare",
      "documentAnchored",
      "documentRevoked",
      "declare",
    ]);
    expect(events[2]).toMatchObject({ type: "organisationRegistered", id: hex(SPACE), kind: "CUSTOMS" });
    expect(events[6]).toMatchObject({
      type: "documentAnchored",
      document: { id: hex(ZERO_INSIDE), cid: "ba\uFFFD\uFFFDy", subjects: [hex(UNTERMINATED), "LOT-OK"], issuer: "AN-PHAT" },
    });
    expect(events[7]).toMatchObject({ type: "documentRevoked", hash: DECLARATION, reason: "H\uFFFD(\uFFFD!" });

    // Every malformed value, raw, at its log; registrations are read again to rebuild the directory,
    // but reported only once, as the batches go.
    const logs = (await connection.provider.request({ method: "eth_getLogs", params: [{ fromBlock: "0x0", address }] })) as Array<{
      transactionHash: string;
      blockNumber: string;
    }>;
    const at = (n: number) => ({ block: BigInt(logs[n]!.blockNumber), tx: logs[n]!.transactionHash, index: 0 });
    expect(reported).toEqual([
      { ...at(2), what: "id", raw: hex(SPACE) },
      { ...at(3), what: "id", raw: hex(UNTERMINATED) },
      { ...at(4), what: "string", raw: `0x${BAD_REASON.toString("hex")}` },
      { ...at(4), what: "id", raw: hex(UNTERMINATED) },
      { ...at(5), what: "id", raw: hex(NOT_ASCII) },
      { ...at(6), what: "string", raw: `0x${BAD_CID.toString("hex")}` },
      { ...at(6), what: "id", raw: hex(ZERO_INSIDE) },
      { ...at(6), what: "cid", raw: `0x${Buffer.from("ba\u0000\uFFFDy").toString("hex")}` },
      { ...at(6), what: "id", raw: hex(UNTERMINATED) },
      { ...at(7), what: "string", raw: `0x${BAD_REASON.toString("hex")}` },
    ]);
  });
});
