/**
 * Fabric ingest: the trade workload committed on the in-process Fabric peer (the real chaincode, one
 * transaction per block, at the workload's times), then indexed into SQLite by FabricSource through the
 * peer's Fabric Gateway stand-in over real gRPC on 127.0.0.1 (scripts/harness/fabric/, as
 * test/indexer/fabric-source.test.ts uses it): one qscc block query per block, 16 in flight.
 */
import { Client, credentials } from "@grpc/grpc-js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeJson } from "../../chaincode/src/codec.js";
import { Indexer } from "../../indexer/indexer.js";
import { FabricSource } from "../../indexer/sources/fabric/fabric-source.js";
import { openStore } from "../../indexer/store/open.js";
import { GatewayService } from "../harness/fabric/gateway-service.js";
import { CHAINCODE, CHANNEL, FabricNetwork } from "../harness/fabric/network.js";
import { STEP_SECONDS, WORKLOAD_START } from "../workloads/trade-chain.js";
import { FLOW_FACILITIES, FLOW_ORGANISATIONS, TradeFlows, type Step } from "../workloads/trade-flows.js";

/** Actions committed: enough to measure, few enough that committing them takes well under a minute. */
const ACTIONS = 2_000;

export async function benchFabricIngest(progress: (label: string) => void): Promise<{ events: number; eventsPerSecond: number; blocks: number }> {
  const network = await FabricNetwork.start();
  const directory = await mkdtemp(join(tmpdir(), "tracegate-bench-fabric-"));
  try {
    await network.register(FLOW_ORGANISATIONS, FLOW_FACILITIES);
    const flows = new TradeFlows(2026);
    let sent = 0;
    const send = async (steps: readonly Step[]) => {
      for (const { actor, action, event } of steps) await network.client.submit(network.identityOf(actor), "Submit", [encodeJson(action)], event.time);
      sent += steps.length;
    };
    let time = WORKLOAD_START;
    await send(await flows.setUp(time));
    while (sent < ACTIONS) await send(await flows.step((time += STEP_SECONDS)));
    progress(`committed ${sent.toLocaleString("en")} actions on the Fabric peer, ${network.peer.height.toLocaleString("en")} blocks`);

    const { service, address } = await GatewayService.start(network.peer);
    const client = new Client(address, credentials.createInsecure());
    const source = FabricSource.connect({ client, channel: CHANNEL, chaincode: CHAINCODE, reader: network.signerOf({ org: "CUSTOMS", role: "AUDITOR" }) });
    const store = await openStore(join(directory, "fabric.sqlite"));
    try {
      const started = performance.now();
      await (
        await Indexer.open(
          store,
          source,
          { finality: 0, batchBlocks: 10_000, pollMs: 10 },
          { committed() {}, rolledBack() {}, failed: (error) => progress(String(error)) },
        )
      ).run({
        untilHead: true,
      });
      const seconds = (performance.now() - started) / 1000;
      const { count } = await store.db
        .selectFrom("events")
        .select((eb) => eb.fn.countAll<bigint>().as("count"))
        .executeTakeFirstOrThrow();
      const events = Number(count);
      return { events, eventsPerSecond: Math.round(events / seconds), blocks: Number(network.peer.height) };
    } finally {
      await store.close();
      source.close();
      client.close();
      await service.stop();
    }
  } finally {
    network.peer.stop();
    await rm(directory, { recursive: true, force: true });
  }
}
