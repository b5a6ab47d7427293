/**
 * FabricLedger (sdk/fabric), the real @hyperledger/fabric-gateway client, over real gRPC on
 * 127.0.0.1 against a Gateway service backed by the in-process peer: submit with commit status,
 * evaluate, events from a checkpoint, refusals as TraceGateErrors, and the retry of a transaction
 * that lost an MVCC race.
 */
import { Client, credentials } from "@grpc/grpc-js";
import { signers } from "@hyperledger/fabric-gateway";
import { peer as protos } from "@hyperledger/fabric-protos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TraceGateError, type Action, type Actor, type LedgerEvent } from "../../domain/index.js";
import { FabricCommitError, FabricLedger } from "../../sdk/fabric/index.js";
import { LedgerUnavailableError, type LedgerEntry } from "../../sdk/ledger.js";
import { FabricConformanceLedger } from "../conformance/fabric-ledger.js";
import { loadVectors, type Vector } from "../conformance/vectors.js";
import { GatewayService } from "./gateway-service.js";
import { CHAINCODE, CHANNEL, FabricNetwork } from "./network.js";

/** A vector whose setup and first steps (declare, arrive of lot AP-FAB-1) the tests start from. */
const vector: Vector = loadVectors().find((candidate) => candidate.name === "customs holds an arrived lot with a reason and unhold returns it to ARRIVED")!;
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

  function connectAs(actor: Actor, options: { through?: Client; retry?: { attempts: number; backoffMs: number } } = {}): FabricLedger {
    const { through = client, retry } = options;
    const identity = network.identityOf(actor);
    const ledger = FabricLedger.connect({
      client: through,
      identity: { mspId: identity.mspId, credentials: Buffer.from(identity.certificate) },
      signer: signers.newPrivateKeySigner(identity.privateKey),
      channel: CHANNEL,
      chaincode: CHAINCODE,
      ...(retry === undefined ? {} : { retry }),
    });
    ledgers.push(ledger);
    return ledger;
  }

  async function take(events: AsyncGenerator<LedgerEntry>, count: number): Promise<LedgerEntry[]> {
    const entries: LedgerEntry[] = [];
    for await (const entry of events) if (entries.push(entry) === count) break;
    return entries;
  }

  it("submits an action, reads the ledger and reads the events back from the start", async () => {
    const setupEvents = await world();
    const ledger = connectAs(enterprise);
    const submitted = await ledger.submit(declare);

    expect(submitted.event).toMatchObject({ type: "custody", action: "declare", actor: enterprise.org });
    expect(network.peer.status(submitted.tx)).toEqual({ code: protos.TxValidationCode.VALID, block: Number(submitted.block) });
    expect(await ledger.lot("AP-FAB-1")).toMatchObject({ state: "DECLARED", owner: enterprise.org, quantity: 1000n });
    expect(await ledger.organisation(enterprise.org)).toEqual({ id: enterprise.org, kind: "ENTERPRISE" });
    expect((await ledger.lotHistory("AP-FAB-1")).map(({ txId }) => txId)).toEqual([submitted.tx]);

    const entries = await take(ledger.events(), setupEvents.length + 1);
    expect(entries.map(({ event }) => event)).toEqual([...setupEvents, submitted.event]);
    expect(entries.at(-1)).toEqual({ ...submitted, checkpoint: { block: submitted.block, index: 0 } });
  });

  it("resumes events after a checkpoint, within a block too, and follows new commits", async () => {
    await world();
    const ledger = connectAs(enterprise);
    const [first, second] = await take(ledger.events(), 2);
    expect(await take(ledger.events(first!.checkpoint), 1)).toEqual([second]);

    const batched = () => connectAs(enterprise, { through: batchingClient });
    const declareLot = (lot: string): Action => ({ ...(declare as Extract<Action, { type: "declare" }>), lot });
    const [buttons, polyester] = await Promise.all([batched().submit(declareLot("AP-BTN-1")), batched().submit(declareLot("AP-POLY-1"))]);
    expect(polyester.block).toBe(buttons.block);
    const [secondInBlock] = await take(ledger.events({ block: buttons.block, index: 0 }), 1);
    expect(secondInBlock).toEqual({ ...polyester, checkpoint: { block: polyester.block, index: 1 } });

    const following = take(ledger.events(secondInBlock!.checkpoint), 1);
    const declared = await ledger.submit(declare);
    expect(await following).toEqual([{ ...declared, checkpoint: { block: declared.block, index: 0 } }]);
  });

  it("throws a refusal's TraceGateError, changing nothing", async () => {
    await world();
    const ledger = connectAs(enterprise);
    await ledger.submit(declare);
    const height = network.peer.height;

    await expect(ledger.submit(declare)).rejects.toMatchObject({ name: "TraceGateError", code: "ILLEGAL_TRANSITION" });
    await expect(ledger.submit({ type: "hold", lot: "AP-FAB-1", reason: "inspection" })).rejects.toMatchObject({ code: "NOT_AUTHORIZED" });
    await expect(ledger.submit({ ...declare, lot: "has space" } as Action)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(ledger.lot("has space")).rejects.toBeInstanceOf(TraceGateError);
    expect(network.peer.height).toBe(height);
  });

  it("throws LedgerUnavailableError when the gateway cannot be reached", async () => {
    const nowhere = new Client("127.0.0.1:1", credentials.createInsecure());
    try {
      await expect(connectAs(officer, { through: nowhere }).lot("AP-FAB-1")).rejects.toBeInstanceOf(LedgerUnavailableError);
    } finally {
      nowhere.close();
    }
  });

  describe("two transitions of one lot submitted at once", () => {
    const hold: Action = { type: "hold", lot: "AP-FAB-1", reason: "inspection" };
    const clear: Action = { type: "clear", lot: "AP-FAB-1", co: null, permit: null };

    async function race(attempts: number) {
      await world();
      await connectAs(enterprise).submit(declare);
      await connectAs(officer).submit(arrive);
      const from = network.peer.height;
      const racer = () => connectAs(officer, { through: batchingClient, retry: { attempts, backoffMs: 10 } });
      const results = await Promise.allSettled([racer().submit(hold), racer().submit(clear)]);
      const conflicts = network.peer.blocksFrom(from).flatMap((block) => block.transactions).filter(({ code }) => code === protos.TxValidationCode.MVCC_READ_CONFLICT);
      return { results, conflicts };
    }

    it("commits one, and endorses the other again on the new state", async () => {
      const { results, conflicts } = await race(3);
      expect(conflicts).toHaveLength(1);
      const outcomes = results.map((result) => (result.status === "fulfilled" ? result.value.event.type : (result.reason as TraceGateError).code));
      // hold first: clear, endorsed again, meets a HELD lot; clear first: hold, endorsed again, holds the CLEARED lot.
      expect([["custody", "ILLEGAL_TRANSITION"], ["custody", "custody"]]).toContainEqual(outcomes);
      expect(await connectAs(officer).lot("AP-FAB-1")).toMatchObject({ state: "HELD" });
    });

    it("gives up with MVCC_READ_CONFLICT when no retry is allowed", async () => {
      const { results, conflicts } = await race(1);
      expect(conflicts).toHaveLength(1);
      const failed = results.filter((result) => result.status === "rejected").map((result) => (result as PromiseRejectedResult).reason as FabricCommitError);
      expect(failed.map(({ name, code, transactionId }) => [name, code, transactionId])).toEqual([["FabricCommitError", protos.TxValidationCode.MVCC_READ_CONFLICT, conflicts[0]!.txId]]);
      expect(failed[0]).toBeInstanceOf(LedgerUnavailableError);
    });
  });
});
