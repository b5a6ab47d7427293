/**
 * The ledger cache in front of the Fabric source (the peer's Gateway stand-in over real gRPC): a
 * rebuilt store equals a fresh sync (dump hash), and the source is asked for no block the cache holds.
 */
import { Client, credentials } from "@grpc/grpc-js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeJson } from "../../chaincode/src/codec.js";
import { Indexer } from "../../indexer/indexer.js";
import { withLedgerCache } from "../../indexer/sources/cache/cached-source.js";
import { FabricSource } from "../../indexer/sources/fabric/fabric-source.js";
import type { LedgerSource } from "../../indexer/sources/source.js";
import { dumpHash } from "../../indexer/store/dump.js";
import { openStore } from "../../indexer/store/open.js";
import { GatewayService } from "../../scripts/harness/fabric/gateway-service.js";
import { CHAINCODE, CHANNEL, FabricNetwork } from "../../scripts/harness/fabric/network.js";
import { STEP_SECONDS, WORKLOAD_START } from "../../scripts/workloads/trade-chain.js";
import { FLOW_FACILITIES, FLOW_ORGANISATIONS, TradeFlows } from "../../scripts/workloads/trade-flows.js";
import { failFast } from "./fail-fast.js";

const options = { finality: 0, batchBlocks: 9, pollMs: 1 };
describe("the ledger cache in front of a Fabric channel", () => {
  let network: FabricNetwork;
  let gateway: Awaited<ReturnType<typeof GatewayService.start>>;
  let client: Client;
  let source: FabricSource;
  let directory: string;

  beforeAll(async () => {
    network = await FabricNetwork.start();
    await network.register(FLOW_ORGANISATIONS, FLOW_FACILITIES);
    const flows = new TradeFlows(3);
    let time = WORKLOAD_START;
    const send = async (steps: Awaited<ReturnType<TradeFlows["step"]>>) => {
      for (const { actor, action, event } of steps) await network.client.submit(network.identityOf(actor), "Submit", [encodeJson(action)], event.time);
    };
    await send(await flows.setUp(time));
    for (let step = 0; step < 30; step++) await send(await flows.step((time += STEP_SECONDS)));
    gateway = await GatewayService.start(network.peer);
    client = new Client(gateway.address, credentials.createInsecure());
    source = FabricSource.connect({ client, channel: CHANNEL, chaincode: CHAINCODE, reader: network.signerOf({ org: "CUSTOMS", role: "AUDITOR" }) });
    directory = await mkdtemp(join(tmpdir(), "tracegate-ledger-cache-fabric-"));
  }, 60_000);
  afterAll(async () => {
    source?.close();
    client?.close();
    await gateway?.service.stop();
    network?.peer.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it("rebuilds the store of a fresh sync without reading a cached block from the channel", async () => {
    const reads: Array<[bigint, bigint]> = [];
    // The source as the cache sees it, recording the block ranges it is asked for.
    const counted: LedgerSource = {
      id: source.id,
      head: () => source.head(),
      headers: (from, to) => source.headers(from, to),
      events: (from, to) => {
        reads.push([from, to]);
        return source.events(from, to);
      },
    };
    const index = async (path: string | undefined) => {
      const store = await openStore(":memory:");
      const cached = path === undefined ? undefined : withLedgerCache(counted, path, { ...options, warn: (line) => expect.fail(line) });
      await (await Indexer.open(store, cached ?? counted, options, failFast)).run({ untilHead: true });
      cached?.close();
      const hash = await dumpHash(store);
      await store.close();
      return hash;
    };
    const path = join(directory, "cache.sqlite");
    const synced = await index(path);
    expect(reads.length).toBeGreaterThan(5);
    reads.length = 0;
    expect(await index(path)).toBe(synced);
    expect(reads).toEqual([]);
    expect(await index(undefined)).toBe(synced);
  }, 60_000);
});
