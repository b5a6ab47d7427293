/**
 * The Fabric source against the peer-less Fabric network over real gRPC (a Fabric Gateway service on
 * 127.0.0.1, the real chaincode in an in-process peer): the same actions are sent through FabricLedger
 * and through EvmLedger on the embedded chain, and each ledger is indexed into SQLite. The Fabric
 * store holds the accepted actions only (not a refused one, not an MVCC-conflicted transaction), in
 * order, with registrations read from the registry's transactions; the indexer command, killed while
 * it follows the channel and restarted, ends with the store of an uninterrupted run; and both ledgers
 * leave the same lots, histories, balances and registrations.
 */
import { Client, credentials } from "@grpc/grpc-js";
import { signers } from "@hyperledger/fabric-gateway";
import { peer as protos } from "@hyperledger/fabric-protos";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Action, Actor } from "../../domain/index.js";
import { eventId } from "../../indexer/events.js";
import { Indexer } from "../../indexer/indexer.js";
import { providerBatchRpc } from "../../sdk/evm/batch-rpc.js";
import { EvmSource } from "../../indexer/sources/evm/evm-source.js";
import { FabricSource } from "../../indexer/sources/fabric/fabric-source.js";
import { SourceRefusedError } from "../../indexer/sources/source.js";
import { lotHistory } from "../../indexer/store/read/queries.js";
import { dumpStore } from "../../indexer/store/dump.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { blockHeaderDer } from "../../sdk/fabric/block-header.js";
import { encodeJson } from "../../chaincode/src/codec.js";
import type { Ledger } from "../../sdk/ledger.js";
import { memberIdentity } from "../../scripts/harness/fabric/identities.js";
import { CHAINCODE, CHANNEL } from "../../scripts/harness/fabric/network.js";
import { anchorAction, ANPHAT, ANPHAT_SIGNER, CUSTOMS, declareAction, VCCI } from "../ledger/demo-actions.js";
import { startEvmDemoLedger, type EvmDemoLedger } from "../ledger/evm-demo-ledger.js";
import { startFabricDemoLedger, type FabricDemoLedger } from "../ledger/fabric-demo-ledger.js";
import { startIndexer } from "./indexer-process.js";
import { failFast } from "./fail-fast.js";

const TERMINAL: Actor = { org: "SAIGON-TERMINAL", role: "OPERATOR" };
const AUDITOR: Actor = { org: "VNCUSTOMS", role: "AUDITOR" };
const LOTS = ["L1", "L2", "L2a", "L2b"];
/** A few blocks stay non-final, so the indexer checks that their parent hashes chain. */
const options = { finality: 3, batchBlocks: 4, pollMs: 10 };

/** The first part of the sequence: declarations anchored, lots declared, arrived, one stored; and a refusal. */
async function firstPart(ledger: Ledger): Promise<void> {
  await Promise.all(["L1", "L2"].map((lot) => ledger.submit(ANPHAT_SIGNER, anchorAction(`decl-${lot}`, "DECLARATION", [lot]))));
  await Promise.all(["L1", "L2"].map((lot) => ledger.submit(ANPHAT, declareAction(lot, `decl-${lot}`))));
  await expect(ledger.submit(ANPHAT_SIGNER, anchorAction("co-by-enterprise", "CO"))).rejects.toMatchObject({ code: "ISSUER_NOT_ENTITLED" });
  await Promise.all(["L1", "L2"].map((lot) => ledger.submit(CUSTOMS, { type: "arrive", lot, facility: "VNSGN-CATLAI" })));
  await ledger.submit(TERMINAL, { type: "store", lot: "L1", facility: "VNSGN-BONDED-1" });
}

/** The rest: a split, one part cleared and released in one atomic batch and received into production, the other's CO anchored, L1 held and released from hold. */
async function secondPart(ledger: Ledger, unhold: (action: Action) => Promise<void>): Promise<void> {
  await ledger.submit(CUSTOMS, {
    type: "split",
    lot: "L2",
    parts: [
      { lot: "L2a", quantity: 400n },
      { lot: "L2b", quantity: 600n },
    ],
  });
  await Promise.all([
    (async () => {
      // An atomic batch: two custody events in one transaction.
      await ledger.submitBatch(CUSTOMS, [
        { type: "clear", lot: "L2a", co: null, permit: null },
        { type: "release", lot: "L2a" },
      ]);
      await ledger.submit(ANPHAT, { type: "receive", lot: "L2a", facility: "VNBNH-ANPHAT-F1" });
    })(),
    ledger.submit(VCCI, anchorAction("co-l2b", "CO", ["L2b"])),
    ledger.submit(CUSTOMS, { type: "hold", lot: "L1", reason: "x-ray" }),
  ]);
  await unhold({ type: "unhold", lot: "L1" });
}

async function index(store: Store, source: EvmSource | FabricSource): Promise<void> {
  await (await Indexer.open(store, source, options, failFast)).run({ untilHead: true });
}

/** Polls the store the indexer command writes until it has committed a batch. */
async function firstCommit(path: string): Promise<bigint> {
  for (;;) {
    try {
      const db = new DatabaseSync(path, { readOnly: true });
      try {
        const row = db.prepare("SELECT block_number FROM chains").get() as { block_number: number } | undefined;
        if (row !== undefined && row.block_number >= 0) return BigInt(row.block_number);
      } finally {
        db.close();
      }
    } catch {
      // not created yet
    }
    await sleep(10);
  }
}

/** What a store says about the lots, without what depends on the ledger (event ids, times, transactions). */
async function ledgerIndependent(store: Store) {
  const histories = await Promise.all(LOTS.map(async (lot) => (await lotHistory(store.db, lot)).map((event) => ({ ...event, time: 0n }))));
  const lots = await store.db.selectFrom("lots").selectAll().orderBy("id").execute();
  const balances = await store.db.selectFrom("material_balances").select(["enterprise", "material", "received", "consumed", "destroyed", "events"]).execute();
  const documents = await store.db.selectFrom("documents").select(["hash", "id", "kind", "issuer", "status", "version"]).orderBy("hash").execute();
  return {
    histories,
    lots: lots.map(({ last_event, stage_since, stage_event, ...lot }) => lot),
    balances,
    documents,
    lineage: await store.db.selectFrom("lineage").select(["parent", "child", "kind", "quantity"]).orderBy("child").execute(),
    organisations: await store.db.selectFrom("organisations").select(["id", "kind"]).orderBy("id").execute(),
    facilities: await store.db.selectFrom("facilities").select(["id", "kind", "operator"]).orderBy("id").execute(),
  };
}

describe("the Fabric source, through a Fabric Gateway on 127.0.0.1", () => {
  let fabric: FabricDemoLedger;
  let evm: EvmDemoLedger;
  let client: Client;
  let source: FabricSource;
  let directory: string;
  let conflict: { valid: string; conflicted: string };

  beforeAll(async () => {
    // Several transactions per block, so blocks hold several events.
    [fabric, evm] = await Promise.all([startFabricDemoLedger({ batchSize: 4, batchTimeout: 20 }), startEvmDemoLedger()]);
    client = new Client(fabric.address, credentials.createInsecure());
    source = FabricSource.connect({ client, channel: CHANNEL, chaincode: CHAINCODE, reader: fabric.network.signerOf(AUDITOR) });
    directory = await mkdtemp(join(tmpdir(), "tracegate-fabric-source-"));
  }, 30_000);
  afterAll(async () => {
    source?.close();
    client?.close();
    await fabric?.stop();
    await evm?.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  /** The indexer command's flags for this channel, read as `mspId` with the identity written to cert.pem and key.pem. */
  const fabricFlags = (mspId: string) => [
    ...["--ledger", "fabric", "--fabric-gateway", fabric.address, "--fabric-plaintext", "--fabric-msp-id", mspId],
    ...["--fabric-cert", join(directory, "cert.pem"), "--fabric-key", join(directory, "key.pem")],
    ...["--fabric-channel", CHANNEL, "--fabric-chaincode", CHAINCODE],
  ];

  it("follows the channel with the indexer command, killed and restarted, into the store of an uninterrupted run", async () => {
    const { mspId, certificate, privateKey } = fabric.network.identityOf(AUDITOR);
    await writeFile(join(directory, "cert.pem"), certificate);
    await writeFile(join(directory, "key.pem"), privateKey.export({ type: "pkcs8", format: "pem" }));
    const killed = join(directory, "killed.sqlite");
    const args = [
      ...fabricFlags(mspId),
      ...["--store", killed, "--finality", String(options.finality), "--batch-blocks", String(options.batchBlocks), "--poll-ms", "10", "--metrics-port", "0"],
    ];

    await Promise.all([firstPart(fabric.ledger), firstPart(evm.ledger)]);
    const following = startIndexer(args);
    await following.ready;
    await firstCommit(killed);
    following.child.kill("SIGKILL");
    expect((await following.exited).signal, following.log()).toBe("SIGKILL");

    await secondPart(evm.ledger, async (action) => void (await evm.ledger.submit(CUSTOMS, action)));
    await secondPart(fabric.ledger, async (action) => {
      // Two clients unhold L1 at once: both endorse, the orderer puts both in one block, the second fails MVCC validation.
      const officer = fabric.network.identityOf(CUSTOMS);
      const [first, second] = await Promise.all([0, 1].map(() => fabric.network.client.endorse(officer, "Submit", [encodeJson(action)])));
      const block = fabric.network.peer.order([first!.transaction, second!.transaction]);
      expect(block.transactions.map(({ code }) => code)).toEqual([protos.TxValidationCode.VALID, protos.TxValidationCode.MVCC_READ_CONFLICT]);
      conflict = { valid: first!.txId, conflicted: second!.txId };
    });

    const resumed = startIndexer([...args, "--until-head"]);
    expect((await resumed.exited).code, resumed.log()).toBe(0);
    const store = await openStore(killed);
    const uninterrupted = await openStore(":memory:");
    await index(uninterrupted, source);
    expect(await dumpStore(store)).toEqual(await dumpStore(uninterrupted));
    const { block_number: checkpoint } = await store.db.selectFrom("chains").select("block_number").executeTakeFirstOrThrow();
    expect(checkpoint).toBe((await source.head()).number);
    await store.close();
    await uninterrupted.close();
  }, 60_000);

  it("stores the accepted actions in order, not the refused or conflicted ones, and the registrations", async () => {
    const store = await openStore(":memory:");
    await index(store, source);
    const events = await store.db.selectFrom("events").select(["id", "block_number", "event_index", "tx_hash", "kind", "lot"]).orderBy("id").execute();
    expect(events.map(({ kind }) => kind).filter((kind) => kind.endsWith("Registered"))).toEqual([
      ...Array(4).fill("organisationRegistered"),
      ...Array(3).fill("facilityRegistered"),
    ]);
    expect(events.filter(({ kind }) => !kind.endsWith("Registered"))).toHaveLength(14);
    expect(await store.db.selectFrom("documents").select("id").where("id", "=", "CO-BY-ENTERPRISE").execute()).toEqual([]);
    expect(events.filter(({ tx_hash }) => tx_hash === conflict.conflicted)).toEqual([]);
    expect(events.filter(({ tx_hash }) => tx_hash === conflict.valid).map(({ kind }) => kind)).toEqual(["unhold"]);
    for (const { id, block_number, event_index } of events) expect(id).toBe(eventId(block_number, Number(event_index)));
    expect(
      events.some(({ event_index }) => event_index > 0n),
      "some blocks hold several events",
    ).toBe(true);

    // The atomic batch's two events: one transaction, consecutive positions, both in the lot's history.
    const batched = events.filter(({ lot, kind }) => lot === "L2a" && (kind === "clear" || kind === "release"));
    expect(batched.map(({ kind }) => kind)).toEqual(["clear", "release"]);
    expect(batched[1]!.tx_hash).toBe(batched[0]!.tx_hash);
    expect([batched[1]!.block_number, batched[1]!.event_index]).toEqual([batched[0]!.block_number, batched[0]!.event_index + 1n]);
    expect((await lotHistory(store.db, "L2a")).map(({ action }) => action)).toEqual(["split", "clear", "release", "receive"]);

    const history = await lotHistory(store.db, "L1");
    expect(history.map(({ action, transitions }) => [action, transitions[0]!.lot.state])).toEqual([
      ["declare", "DECLARED"],
      ["arrive", "ARRIVED"],
      ["store", "IN_WAREHOUSE"],
      ["hold", "HELD"],
      ["unhold", "IN_WAREHOUSE"],
    ]);
    const lots = await store.db.selectFrom("lots").select(["id", "state", "location", "custodian", "quantity"]).orderBy("id").execute();
    expect(lots).toEqual([
      { id: "L1", state: "IN_WAREHOUSE", location: "VNSGN-BONDED-1", custodian: "SAIGON-TERMINAL", quantity: "1000" },
      { id: "L2", state: "SPLIT", location: "VNSGN-CATLAI", custodian: "VNCUSTOMS", quantity: "1000" },
      { id: "L2a", state: "IN_PRODUCTION", location: "VNBNH-ANPHAT-F1", custodian: "AN-PHAT", quantity: "400" },
      { id: "L2b", state: "ARRIVED", location: "VNSGN-CATLAI", custodian: "VNCUSTOMS", quantity: "600" },
    ]);
    const balances = await store.db.selectFrom("material_balances").select(["enterprise", "material", "received", "consumed", "destroyed"]).execute();
    expect(balances).toEqual([{ enterprise: "AN-PHAT", material: "FAB-COT", received: "400", consumed: "0", destroyed: "0" }]);
    await store.close();
  });

  it("stops at once, giving the peers' reason, when the gateway refuses the reader for good", async () => {
    const auditor = fabric.network.identityOf(AUDITOR);
    const stranger = memberIdentity("StrangerMSP", "reader", {});
    const readers = [
      { mspId: "Org9MSP", certificate: auditor.certificate, privateKey: auditor.privateKey }, // a wrong TRACEGATE_FABRIC_MSP_ID
      stranger, // an organisation the channel does not have
    ];
    for (const { mspId, certificate, privateKey } of readers) {
      const refused = FabricSource.connect({
        client,
        channel: CHANNEL,
        chaincode: CHAINCODE,
        reader: { identity: { mspId, credentials: Buffer.from(certificate) }, signer: signers.newPrivateKeySigner(privateKey) },
      });
      const store = await openStore(join(directory, `refused-${mspId}.sqlite`));
      const failures: unknown[] = [];
      const indexer = await Indexer.open(store, refused, options, { ...failFast, failed: (error) => void failures.push(error) });
      const run = indexer.run({ untilHead: true });
      await expect(run).rejects.toThrow(SourceRefusedError);
      await expect(run).rejects.toThrow(
        new RegExp(
          `^the Fabric gateway refuses fabric:${CHANNEL}:${CHAINCODE}'s reads of the chain height for good \\(FAILED_PRECONDITION: evaluate call to endorser returned error: .*access denied: MSP ${mspId} is not a member of the channel\\): check TRACEGATE_FABRIC_MSP_ID`,
        ),
      );
      expect(failures).toEqual([]);
      refused.close();
      await store.close();
    }
  });

  it("the indexer command exits 3 with the peers' reason, and no stack trace, when the gateway refuses it for good", async () => {
    const { certificate, privateKey } = fabric.network.identityOf(AUDITOR);
    await writeFile(join(directory, "cert.pem"), certificate);
    await writeFile(join(directory, "key.pem"), privateKey.export({ type: "pkcs8", format: "pem" }));
    const refused = startIndexer([
      ...fabricFlags("Org9MSP"),
      ...["--store", join(directory, "refused-command.sqlite"), "--poll-ms", "10", "--metrics-port", "0"],
    ]);
    expect((await refused.exited).code, refused.log()).toBe(3);
    expect(refused.log()).toMatch(
      /indexing stopped for good: the Fabric gateway refuses .* for good \(FAILED_PRECONDITION: .*access denied: MSP Org9MSP .*check TRACEGATE_FABRIC_MSP_ID/,
    );
    expect(refused.log()).not.toMatch(/\n\s+at /);
  });

  it("retries with backoff, saying why, while the gateway is unreachable", async () => {
    const unreachable = new Client("127.0.0.1:1", credentials.createInsecure());
    const away = FabricSource.connect({ client: unreachable, channel: CHANNEL, chaincode: CHAINCODE, reader: fabric.network.signerOf(AUDITOR) });
    const store = await openStore(join(directory, "unreachable.sqlite"));
    const failures: Array<{ error: unknown; at: number }> = [];
    const stopping = new AbortController();
    const indexer = await Indexer.open(store, away, options, {
      ...failFast,
      failed: (error) => {
        failures.push({ error, at: performance.now() });
        if (failures.length === 4) stopping.abort();
      },
    });
    await indexer.run({ signal: stopping.signal });
    expect(failures.map(({ error }) => error)).toEqual(
      Array(4).fill(
        expect.objectContaining({
          name: "LedgerUnavailableError",
          message: expect.stringMatching(/^the Fabric gateway could not serve .* \(UNAVAILABLE: .*\); retrying$/),
        }),
      ),
    );
    const gaps = failures.slice(1).map(({ at }, index) => at - failures[index]!.at);
    // Backing off: each wait at least doubles the last (lower bounds only: a loaded machine may add to any gap).
    gaps.forEach((gap, index) => expect(gap).toBeGreaterThanOrEqual(options.pollMs * 2 ** index - 2));
    away.close();
    unreachable.close();
    await store.close();
  });

  it("reports blocks chained as Fabric chains them, timed by their transactions", async () => {
    const head = await source.head();
    const headers = await source.headers(0n, head.number + 1n);
    expect(headers.at(-1)).toBeUndefined();
    const blocks = headers.slice(0, -1).map((header) => header!);
    expect(blocks.at(-1)).toEqual(head);
    expect(blocks[0]).toMatchObject({ number: 0n, parentHash: "", time: 0n });
    for (const [number, block] of blocks.entries()) {
      expect(block.number).toBe(BigInt(number));
      expect(block.hash).toMatch(/^[0-9a-f]{64}$/);
      if (number > 0) {
        expect(block.parentHash).toBe(blocks[number - 1]!.hash);
        expect(block.time).toBeGreaterThanOrEqual(blocks[number - 1]!.time);
      }
    }
    const events = await source.events(0n, head.number);
    for (const { block, blockHash } of events) expect(blockHash).toBe(blocks[Number(block)]!.hash);
  });

  it("hashes a block header's ASN.1 DER exactly as openssl encodes Fabric's header structure", () => {
    for (const number of [0n, 5n, 200n, 65_535n, 2n ** 63n - 1n]) {
      const previousHash = number === 0n ? Buffer.alloc(0) : randomBytes(32);
      const dataHash = randomBytes(number === 200n ? 200 : 32);
      const config = [
        "asn1=SEQUENCE:header",
        "[header]",
        `number=INTEGER:${number}`,
        // openssl reads no empty hex string: the genesis block's empty previous hash is an empty text one.
        previousHash.length === 0 ? "previous=OCTETSTRING:" : `previous=FORMAT:HEX,OCTETSTRING:${previousHash.toString("hex")}`,
        `data=FORMAT:HEX,OCTETSTRING:${dataHash.toString("hex")}`,
      ].join("\n");
      const path = join(directory, `header-${number}`);
      writeFileSync(`${path}.cnf`, config);
      execFileSync("openssl", ["asn1parse", "-genconf", `${path}.cnf`, "-out", `${path}.der`, "-noout"]);
      const der = readFileSync(`${path}.der`);
      expect(Buffer.from(blockHeaderDer({ number, previousHash, dataHash })).toString("hex"), `block ${number}`).toBe(der.toString("hex"));
    }
  });

  it("leaves the same lots, histories, balances and registrations as the same actions on the EVM", async () => {
    const [onFabric, onEvm] = [await openStore(":memory:"), await openStore(":memory:")];
    await index(onFabric, source);
    const chain = evm.network.chain;
    await index(
      onEvm,
      await EvmSource.connect(providerBatchRpc(chain.connection.provider), {
        registry: chain.addresses.TraceGateRegistry,
        custody: chain.addresses.CustodyRegistry,
      }),
    );
    const fabricView = await ledgerIndependent(onFabric);
    expect(fabricView.histories.flat().length).toBeGreaterThan(10);
    expect(fabricView).toEqual(await ledgerIndependent(onEvm));
    await onFabric.close();
    await onEvm.close();
  });
});
