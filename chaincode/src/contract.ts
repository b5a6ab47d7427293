/**
 * The TraceGate chaincode: the domain's rules over Fabric world state. Every custody and document
 * action goes through one transaction, `Submit`, which decides it with domain/ and, when accepted,
 * writes its outcome and sets its one chaincode event. Errors fail the transaction with the
 * TraceGateError's message, which starts with its stable code.
 */
import contractApi, { type Context } from "fabric-contract-api";
import { assertHash, assertId, decide, decideBatch, type CustodyAction } from "../../domain/index.js";
import { BATCH_EVENT, decodeAction, decodeBatch, encodeJson, encodeOptional } from "./codec.js";
import { callerOf } from "./identity.js";
import { batchMemberRevocation, batchRecord, documentRecord, documentRecordsWithId } from "./records.js";
import { initialiseRegistry, registerFacility, registerOrganisation, requireRegistrar } from "./registry.js";
import { WorldState } from "./world-state.js";

// fabric-contract-api is CommonJS and assigns its decorators dynamically: Node's ESM loader cannot see them as named exports.
const { Contract, Info, Param, Returns, Transaction } = contractApi;

/**
 * Marks a transaction function, its string parameters and its string result for the contract
 * metadata. Parameters are named here because TypeScript decorator metadata is not relied on
 * (bundlers do not emit it).
 */
function transaction(kind: "submit" | "evaluate", ...parameters: string[]): MethodDecorator {
  return (target, name) => {
    Transaction(kind === "submit")(target, name);
    for (const parameter of parameters) Param(parameter, "string")(target, name);
    Returns("string")(target, name);
  };
}

@Info({ title: "TraceGate", description: "Custody of goods, anchored documents and norms under the TraceGate rules" })
export class TraceGateContract extends Contract {
  constructor() {
    super("TraceGate");
  }

  /** Registers the caller's MSP as customs organisation `customsId`: once, by an ADMIN. */
  @transaction("submit", "customsId")
  async InitLedger(ctx: Context, customsId: string): Promise<string> {
    const state = new WorldState(ctx.stub);
    const customs = await initialiseRegistry(state, await callerOf(ctx.clientIdentity, state), customsId, ctx.clientIdentity.getMSPID());
    return encodeJson(customs);
  }

  @transaction("submit", "id", "kind", "mspId")
  async RegisterOrganisation(ctx: Context, id: string, kind: string, mspId: string): Promise<string> {
    const state = new WorldState(ctx.stub);
    await requireRegistrar(state, await callerOf(ctx.clientIdentity, state));
    return encodeJson(await registerOrganisation(state, id, kind, mspId));
  }

  @transaction("submit", "id", "kind", "operator")
  async RegisterFacility(ctx: Context, id: string, kind: string, operator: string): Promise<string> {
    const state = new WorldState(ctx.stub);
    await requireRegistrar(state, await callerOf(ctx.clientIdentity, state));
    return encodeJson(await registerFacility(state, id, kind, operator));
  }

  /** Decides a domain action (JSON, codec of sdk/fabric) as the caller, at the transaction's time; returns its event. */
  @transaction("submit", "action")
  async Submit(ctx: Context, action: string): Promise<string> {
    const decoded = decodeAction(action);
    const state = new WorldState(ctx.stub);
    const actor = await callerOf(ctx.clientIdentity, state);
    const outcome = await decide(state, actor, decoded, BigInt(ctx.stub.getTxTimestamp().seconds.toString()));
    await state.write(outcome);
    const event = encodeJson(outcome.event);
    ctx.stub.setEvent(outcome.event.type, Buffer.from(event));
    return event;
  }

  /**
   * Decides custody actions (a JSON array, each as `Submit` takes it) in order as one atomic batch: each
   * sees the lots the ones before it wrote, and the lots are written only if every action is accepted.
   * Sets one chaincode event, `batch`, whose payload (and the result) is the actions' events in order;
   * a refusal fails the transaction with BatchRefusedError's message (`CODE: batch action N: …`).
   */
  @transaction("submit", "actions")
  async Batch(ctx: Context, actions: string): Promise<string> {
    const decoded = decodeBatch(actions);
    const state = new WorldState(ctx.stub);
    const actor = await callerOf(ctx.clientIdentity, state);
    const { lots, events } = await decideBatch(state, actor, decoded as CustodyAction[], BigInt(ctx.stub.getTxTimestamp().seconds.toString()));
    await state.writeLots(lots);
    const payload = encodeJson(events);
    ctx.stub.setEvent(BATCH_EVENT, Buffer.from(payload));
    return payload;
  }

  /** The caller as the chaincode sees it (organisation and role), so that clients can check their identities. */
  @transaction("evaluate")
  async ReadCaller(ctx: Context): Promise<string> {
    return encodeJson(await callerOf(ctx.clientIdentity, new WorldState(ctx.stub)));
  }

  @transaction("evaluate", "id")
  async ReadOrganisation(ctx: Context, id: string): Promise<string> {
    return encodeOptional(await new WorldState(ctx.stub).organisation(assertId(id, "id")));
  }

  @transaction("evaluate", "id")
  async ReadFacility(ctx: Context, id: string): Promise<string> {
    return encodeOptional(await new WorldState(ctx.stub).facility(assertId(id, "id")));
  }

  @transaction("evaluate", "id")
  async ReadLot(ctx: Context, id: string): Promise<string> {
    return encodeOptional(await new WorldState(ctx.stub).lot(assertId(id, "id")));
  }

  /** The lot's every state, newest first, with the transaction that wrote it. */
  @transaction("evaluate", "id")
  async ReadLotHistory(ctx: Context, id: string): Promise<string> {
    return encodeJson(await new WorldState(ctx.stub).lotHistory(assertId(id, "id")));
  }

  /** The document with its anchoring transaction and, if revoked, the reason and revoking transaction. */
  @transaction("evaluate", "hash")
  async ReadDocument(ctx: Context, hash: string): Promise<string> {
    return encodeOptional(await documentRecord(new WorldState(ctx.stub), assertHash(hash, "hash")));
  }

  /** Every document anchored with id `id`, as ReadDocument gives each. */
  @transaction("evaluate", "id")
  async ReadDocumentsWithId(ctx: Context, id: string): Promise<string> {
    return encodeJson(await documentRecordsWithId(new WorldState(ctx.stub), assertId(id, "id")));
  }

  /** The batch with its anchoring transaction. */
  @transaction("evaluate", "root")
  async ReadBatch(ctx: Context, root: string): Promise<string> {
    return encodeOptional(await batchRecord(new WorldState(ctx.stub), assertHash(root, "root")));
  }

  @transaction("evaluate", "owner", "product")
  async ReadNorm(ctx: Context, owner: string, product: string): Promise<string> {
    return encodeOptional(await new WorldState(ctx.stub).norm(assertId(owner, "owner"), assertId(product, "product")));
  }

  @transaction("evaluate", "root", "leaf")
  async IsBatchMemberRevoked(ctx: Context, root: string, leaf: string): Promise<string> {
    return encodeJson(await new WorldState(ctx.stub).isBatchMemberRevoked(assertHash(root, "root"), assertHash(leaf, "leaf")));
  }

  /** Why and in which transaction batch member `leaf` was revoked, or "" while it is not. */
  @transaction("evaluate", "root", "leaf")
  async ReadBatchMemberRevocation(ctx: Context, root: string, leaf: string): Promise<string> {
    return encodeOptional(await batchMemberRevocation(new WorldState(ctx.stub), assertHash(root, "root"), assertHash(leaf, "leaf")));
  }
}
