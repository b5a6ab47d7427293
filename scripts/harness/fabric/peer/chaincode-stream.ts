/**
 * The peer's side of the chaincode protocol: the chaincode registers, then for each transaction the
 * peer sends TRANSACTION and answers the shim's GET_STATE, PUT_STATE, DEL_STATE, GET_STATE_BY_RANGE,
 * QUERY_STATE_NEXT/CLOSE and GET_HISTORY_FOR_KEY requests from the transaction's simulator until the
 * shim sends COMPLETED. Two transports: fabric-shim's own message handler in this process over an
 * in-memory stream (messages cross it serialized, as over gRPC, so the shim decodes them with its own
 * protos copy; this uses fabric-shim internals, pinned exactly in package.json), or gRPC to a chaincode
 * running as a service (`fabric-chaincode-node server`), which the peer dials.
 */
import "../quiet-chaincode-logs.js";
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { credentials } from "@grpc/grpc-js";
import { ledger, peer } from "@hyperledger/fabric-protos";
import type { TxSimulator } from "./simulator.js";
import { timestamp } from "./timestamps.js";

const require = createRequire(import.meta.url);
const shimRequire = createRequire(require.resolve("fabric-shim"));
const { ChaincodeMessageHandler } = shimRequire("./lib/handler.js") as {
  ChaincodeMessageHandler: new (stream: unknown, chaincode: unknown) => { chat(message: unknown): void };
};
const ChaincodeFromContract = shimRequire("./lib/contract-spi/chaincodefromcontract.js") as new (...args: unknown[]) => unknown;
const { JSONSerializer } = shimRequire("fabric-contract-api") as { JSONSerializer: unknown };
/** The shim's own protobuf classes (@hyperledger/fabric-protos 0.2, not the gateway's 0.3). */
const shimProtos = shimRequire("@hyperledger/fabric-protos") as { peer: { ChaincodeMessage: { deserializeBinary(bytes: Uint8Array): unknown } } };

type Message = peer.ChaincodeMessage;
const Type = peer.ChaincodeMessage.Type;
type MessageType = peer.ChaincodeMessage.TypeMap[keyof peer.ChaincodeMessage.TypeMap];

export interface ChaincodeResult {
  status: number;
  message: string;
  payload: Uint8Array;
  event?: peer.ChaincodeEvent;
}

interface Pending {
  simulator: TxSimulator;
  resolve(result: ChaincodeResult): void;
}

/** The duplex stream the shim's handler writes to and reads 'data' events from. */
class InMemoryStream extends EventEmitter {
  constructor(private readonly toPeer: (bytes: Uint8Array) => void) {
    super();
  }
  write(message: { serializeBinary(): Uint8Array }): void {
    const bytes = message.serializeBinary();
    queueMicrotask(() => this.toPeer(bytes));
  }
  deliver(bytes: Uint8Array): void {
    const message = shimProtos.peer.ChaincodeMessage.deserializeBinary(bytes);
    queueMicrotask(() => this.emit("data", message));
  }
  end(): void {}
}

export class ChaincodeStream {
  private readonly pending = new Map<string, Pending>();
  private send: (message: Message) => void = () => {};
  private close: () => void = () => {};
  private registered?: () => void;
  private readonly registration = new Promise<void>((resolve) => (this.registered = resolve));

  private constructor(private readonly namespace: string) {}

  /** Starts `contracts` (fabric-contract-api classes) in this process's fabric-shim and completes registration. */
  static async start(namespace: string, contracts: readonly unknown[], version = "1.0"): Promise<ChaincodeStream> {
    const connection = new ChaincodeStream(namespace);
    const stream = new InMemoryStream((bytes) => connection.receive(peer.ChaincodeMessage.deserializeBinary(bytes)));
    connection.send = (message) => stream.deliver(message.serializeBinary());
    const serializers = { transaction: "jsonSerializer", serializers: { jsonSerializer: JSONSerializer } };
    const chaincode = new ChaincodeFromContract([...contracts], serializers, {}, namespace, version);
    const id = new peer.ChaincodeID();
    id.setName(`${namespace}:${version}`);
    const register = shimMessage(Type.REGISTER, id.serializeBinary(), "", "");
    new ChaincodeMessageHandler(stream, chaincode).chat(shimProtos.peer.ChaincodeMessage.deserializeBinary(register.serializeBinary()));
    await connection.registration;
    return connection;
  }

  /** Dials a chaincode server (chaincode as a service) at `address` and completes registration. */
  static async connect(namespace: string, address: string): Promise<ChaincodeStream> {
    const connection = new ChaincodeStream(namespace);
    const client = new peer.ChaincodeClient(address, credentials.createInsecure());
    const call = client.connect();
    call.on("data", (message: Message) => connection.receive(message));
    call.on("error", () => {});
    connection.send = (message) => call.write(message);
    connection.close = () => {
      call.end();
      client.close();
    };
    await connection.registration;
    return connection;
  }

  stop(): void {
    this.close();
  }

  /** Runs one transaction of `signedProposal` with `input`, answering its state requests from `simulator`. */
  execute(channel: string, txId: string, signedProposal: peer.SignedProposal, input: Uint8Array, simulator: TxSimulator): Promise<ChaincodeResult> {
    return new Promise((resolve) => {
      this.pending.set(channel + txId, { simulator, resolve });
      const message = shimMessage(Type.TRANSACTION, input, txId, channel);
      message.setProposal(signedProposal);
      this.send(message);
    });
  }

  private receive(message: Message): void {
    if (message.getType() === Type.REGISTER) {
      this.send(shimMessage(Type.REGISTERED, new Uint8Array(), "", ""));
      this.send(shimMessage(Type.READY, new Uint8Array(), "", ""));
      this.registered?.();
      return;
    }
    const key = message.getChannelId() + message.getTxid();
    const pending = this.pending.get(key);
    if (pending === undefined) return;
    if (message.getType() === Type.COMPLETED) {
      this.pending.delete(key);
      const response = peer.Response.deserializeBinary(message.getPayload_asU8());
      pending.resolve({
        status: response.getStatus(),
        message: response.getMessage(),
        payload: response.getPayload_asU8(),
        event: message.getChaincodeEvent(),
      });
      return;
    }
    try {
      this.reply(message, Type.RESPONSE, this.answer(message, pending.simulator));
    } catch (error) {
      this.reply(message, Type.ERROR, Buffer.from((error as Error).message));
    }
  }

  private reply(request: Message, type: MessageType, payload: Uint8Array): void {
    this.send(shimMessage(type, payload, request.getTxid(), request.getChannelId()));
  }

  private answer(message: Message, simulator: TxSimulator): Uint8Array {
    const payload = message.getPayload_asU8();
    switch (message.getType()) {
      case Type.GET_STATE:
        return simulator.getState(inCollection(peer.GetState.deserializeBinary(payload)).getKey());
      case Type.PUT_STATE: {
        const put = inCollection(peer.PutState.deserializeBinary(payload));
        simulator.putState(put.getKey(), put.getValue_asU8());
        return new Uint8Array();
      }
      case Type.DEL_STATE:
        simulator.deleteState(inCollection(peer.DelState.deserializeBinary(payload)).getKey());
        return new Uint8Array();
      case Type.GET_STATE_BY_RANGE: {
        const range = inCollection(peer.GetStateByRange.deserializeBinary(payload));
        const results = simulator.getStateByRange(range.getStartkey(), range.getEndkey()).map(([key, value]) => {
          const kv = new ledger.queryresult.KV();
          kv.setNamespace(this.namespace);
          kv.setKey(key);
          kv.setValue(value);
          return kv.serializeBinary();
        });
        return queryResponse(results);
      }
      case Type.GET_HISTORY_FOR_KEY: {
        const results = simulator.getHistory(peer.GetHistoryForKey.deserializeBinary(payload).getKey()).map((change) => {
          const modification = new ledger.queryresult.KeyModification();
          modification.setTxId(change.txId);
          modification.setValue(change.value);
          modification.setIsDelete(change.isDelete);
          modification.setTimestamp(timestamp(change.timestamp));
          return modification.serializeBinary();
        });
        return queryResponse(results);
      }
      case Type.QUERY_STATE_NEXT:
      case Type.QUERY_STATE_CLOSE:
        return queryResponse([]);
      default:
        throw new Error(`the in-process peer does not serve ${message.getType()} (rich queries, private data, chaincode-to-chaincode calls)`);
    }
  }
}

/** Private data collections are out of this peer's scope; public state only. */
function inCollection<T extends { getCollection(): string }>(request: T): T {
  if (request.getCollection() !== "") throw new Error("private data collections are not served by the in-process peer");
  return request;
}

/** Every result in one response: iterators never need QUERY_STATE_NEXT. */
function queryResponse(results: Uint8Array[]): Uint8Array {
  const response = new peer.QueryResponse();
  response.setResultsList(
    results.map((bytes) => {
      const result = new peer.QueryResultBytes();
      result.setResultbytes(bytes);
      return result;
    }),
  );
  response.setHasMore(false);
  response.setId("1");
  return response.serializeBinary();
}

function shimMessage(type: MessageType, payload: Uint8Array, txId: string, channel: string): Message {
  const message = new peer.ChaincodeMessage();
  message.setType(type);
  message.setPayload(payload);
  message.setTxid(txId);
  message.setChannelId(channel);
  return message;
}
