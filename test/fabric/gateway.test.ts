/**
 * FabricLedger (sdk/fabric), the real @hyperledger/fabric-gateway client, over real gRPC on
 * 127.0.0.1 against a Gateway service backed by the in-process peer, in what only Fabric has: events
 * of transactions committed through other clients, checkpoints within a block, identities checked
 * against the chaincode, and the retry of a transaction that lost an MVCC race. What every ledger
 * answers is in test/ledger/ledger-contract.ts.
 */
import { Client, credentials } from "@grpc/grpc-js";
import { peer as protos } from "@hyperledger/fabric-protos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Action, Actor, LedgerEvent, TraceGateError } from "../../domain/index.js";
import { type FabricCommitError, FabricLedger, type FabricSigner } from "../../sdk/fabric/index.js";
import { actorKey, LedgerConfigurationError, LedgerUnavailableError, type LedgerEntry } from "../../sdk/ledger.js";
import { FabricConformanceLedger } from "../conformance/fabric-ledger.js";
import { actionVector } from "../conformance/vectors.js";
import { GatewayService } from "../../scripts/harness/fabric/gateway-service.js";
import { CHAINCODE, CHANNEL, FabricNetwork } from "../../scripts/harness/fabric/network.js";

/** A vector whose setup and first steps (declare, arrive of lot AP-FAB-1) the tests start from. */
const vector = actionVector("customs holds an arrived lot with a reason and unhold returns it to ARRIVED");
const [declare, arrive] = vector.steps.map((step) => step.action) as [Action, Action];
const enterprise: Actor = vector.steps[0]!.actor;
const officer: Actor = { org: "VNCUSTOMS", role: "OFFICER" };

describe("FabricLedger through the Fabric Gateway on 127.0.0.1", () => {
  let network: FabricNetwork;
  /** A gateway whose orderer cuts a block per transaction. */
  let client: Client;
  /** A gateway whose orderer cuts a block when two transactions wait (or after 250 ms), so that two submitted at once meet in one block. */
  let batchingClient: Client;
  const services: GatewayService[] = [];
  const ledgers: FabricLedger[] = [];

  async function gateway(ordering?: { batchSize: number; batchTimeout: number }): Promise<Client> {
    const { service, address } = await GatewayService.start(network.peer, ordering);
    services.push(service);
    return new Client(address, credentials.createInsecure());
  }

  beforeAll(async () => {
    network = await FabricNetwork.start();
    client = await gateway();
    batchingClient = await gateway({ batchSize: 2, batchTimeout: 250 });
  });
  afterAll(async () => {
    for (const ledger of ledgers) await ledger.close();
    for (const grpcClient of [client, batchingClient]) grpcClient.close();
    for (const service of services) await service.stop();
  });

  /** The vector's world, registered and set up on the peer directly; returns the setup's events. */
  async function world(): Promise<LedgerEvent[]> {
    const setup = new FabricConformanceLedger(network);
    await setup.register(vector.organisations, vector.facilities);
    const events: LedgerEvent[] = [];
    for (const { actor, action, time } of vector.setup) events.push(await setup.submit(actor, action, time));
    return events;
  }

  async function connectAs(
    actor: Actor,
    options: { through?: Client; retry?: { attempts: number; backoffMs: number }; identity?: FabricSigner } = {},
  ): Promise<FabricLedger> {
    const { through = client, retry, identity = network.signerOf(actor) } = options;
    const ledger = await FabricLedger.connect({
      client: through,
      channel: CHANNEL,
      chaincode: CHAINCODE,
      identities: new Map([[actorKey(actor), identity]]),
      ...(retry === undefined ? {} : { retry }),
    });
    ledgers.push(ledger);
    return ledger;
  }

  async function all(events: AsyncIterable<LedgerEntry>): Promise<LedgerEntry[]> {
    const entries: LedgerEntry[] = [];
    for await (const entry of events) entries.push(entry);
    return entries;
  }

  it("reads back the events of transactions committed through other clients, then its own", async () => {
    const setupEvents = await world();
    const ledger = await connectAs(enterprise);
    const submitted = await ledger.submit(enterprise, declare);

    expect(network.peer.status(submitted.tx)).toEqual({ code: protos.TxValidationCode.VALID, block: Number(submitted.block) });
    expect((await ledger.lotHistory("AP-FAB-1")).map(({ txId }) => txId)).toEqual([submitted.tx]);
    const entries = await all(ledger.events());
    expect(entries.map(({ event }) => event)).toEqual([...setupEvents, submitted.event]);
    expect(entries.at(-1)).toEqual({ ...submitted, checkpoint: { block: submitted.block, index: 0 } });
  });

  it("resumes events after a checkpoint within a block, and a later read sees new commits", async () => {
    await world();
    const ledger = await connectAs(enterprise);
    const batched = await connectAs(enterprise, { through: batchingClient });
    const declareLot = (lot: string): Action => ({ ...(declare as Extract<Action, { type: "declare" }>), lot });
    const both = await Promise.all(["AP-BTN-1", "AP-POLY-1"].map((lot) => batched.submit(enterprise, declareLot(lot))));
    expect(both[0]!.block).toBe(both[1]!.block);
    const inBlock = network.peer.blocksFrom(Number(both[0]!.block))[0]!.transactions.map(({ txId }) => txId);
    const [first, second] = both.sort((a, b) => inBlock.indexOf(a.tx) - inBlock.indexOf(b.tx));
    expect(await all(ledger.events({ block: first!.block, index: 0 }))).toEqual([{ ...second, checkpoint: { block: second!.block, index: 1 } }]);

    const declared = await ledger.submit(enterprise, declare);
    expect(await all(ledger.events({ block: second!.block, index: 1 }))).toEqual([{ ...declared, checkpoint: { block: declared.block, index: 0 } }]);
  });

  it("throws a refusal's TraceGateError, changing nothing", async () => {
    await world();
    const ledger = await connectAs(enterprise);
    await ledger.submit(enterprise, declare);
    const height = network.peer.height;

    await expect(ledger.submit(enterprise, declare)).rejects.toMatchObject({ name: "TraceGateError", code: "ILLEGAL_TRANSITION" });
    await expect(ledger.submit(enterprise, { type: "hold", lot: "AP-FAB-1", reason: "inspection" })).rejects.toMatchObject({ code: "NOT_AUTHORIZED" });
    expect(network.peer.height).toBe(height);
  });

  it("refuses identities the chaincode sees as another actor, and actors it has no identity for", async () => {
    await world();
    await expect(connectAs(officer, { identity: network.signerOf({ org: "VNCUSTOMS", role: "AUDITOR" }) })).rejects.toThrow(
      new LedgerConfigurationError(
        "the identity given for VNCUSTOMS/OFFICER is a AUDITOR of VNCUSTOMS: use that organisation's certificate, or ask customs to register its MSP",
      ),
    );
    await expect(connectAs({ org: "STRANGER", role: "SIGNER" })).rejects.toThrow(/is a SIGNER of MSP STRANGERMSP, which no registered organisation uses/);
    await expect((await connectAs(enterprise)).submit(officer, arrive)).rejects.toThrow(
      new LedgerConfigurationError("no Fabric identity is configured for VNCUSTOMS/OFFICER"),
    );
  });

  it("throws LedgerUnavailableError when the gateway cannot be reached", async () => {
    const nowhere = new Client("127.0.0.1:1", credentials.createInsecure());
    try {
      await expect(connectAs(officer, { through: nowhere })).rejects.toBeInstanceOf(LedgerUnavailableError);
    } finally {
      nowhere.close();
    }
  });

  describe("two transitions of one lot submitted at once", () => {
    const hold: Action = { type: "hold", lot: "AP-FAB-1", reason: "inspection" };
    const clear: Action = { type: "clear", lot: "AP-FAB-1", co: null, permit: null };

    async function race(attempts: number) {
      await world();
      await (await connectAs(enterprise)).submit(enterprise, declare);
      await (await connectAs(officer)).submit(officer, arrive);
      const racers = await Promise.all([1, 2].map(() => connectAs(officer, { through: batchingClient, retry: { attempts, backoffMs: 10 } })));
      const from = network.peer.height;
      const results = await Promise.allSettled([racers[0]!.submit(officer, hold), racers[1]!.submit(officer, clear)]);
      const conflicts = network.peer
        .blocksFrom(from)
        .flatMap((block) => block.transactions)
        .filter(({ code }) => code === protos.TxValidationCode.MVCC_READ_CONFLICT);
      return { results, conflicts };
    }

    it("commits one, and endorses the other again on the new state", async () => {
      const { results, conflicts } = await race(3);
      expect(conflicts).toHaveLength(1);
      const outcomes = results.map((result) => (result.status === "fulfilled" ? result.value.event.type : (result.reason as TraceGateError).code));
      // hold first: clear, endorsed again, meets a HELD lot; clear first: hold, endorsed again, holds the CLEARED lot.
      expect([
        ["custody", "ILLEGAL_TRANSITION"],
        ["custody", "custody"],
      ]).toContainEqual(outcomes);
      expect(await (await connectAs(officer)).lot("AP-FAB-1")).toMatchObject({ state: "HELD" });
    });

    it("gives up with MVCC_READ_CONFLICT when no retry is allowed", async () => {
      const { results, conflicts } = await race(1);
      expect(conflicts).toHaveLength(1);
      const failed = results.filter((result) => result.status === "rejected").map((result) => (result as PromiseRejectedResult).reason as FabricCommitError);
      expect(failed.map(({ name, code, transactionId }) => [name, code, transactionId])).toEqual([
        ["FabricCommitError", protos.TxValidationCode.MVCC_READ_CONFLICT, conflicts[0]!.txId],
      ]);
      expect(failed[0]).toBeInstanceOf(LedgerUnavailableError);
    });
  });
});
