/**
 * The Fabric Gateway gRPC service (gateway.proto: Endorse, Submit, CommitStatus, Evaluate; not
 * ChaincodeEvents, which TraceGate's clients do not use: they read events from qscc's blocks) on
 * 127.0.0.1, backed by the in-process peer, so that the real
 * @hyperledger/fabric-gateway client runs against it over real gRPC. Its ordering service cuts a
 * block when `batchSize` transactions wait or `batchTimeout` ms pass, as a Fabric orderer does with
 * BatchSize and BatchTimeout. Errors carry what Fabric's gateway puts in them: a gRPC status and
 * ErrorDetail entries naming the endorsing peer and its message (`chaincode response 500, …`).
 */
import { Metadata, Server, ServerCredentials, status, type ServerErrorResponse } from "@grpc/grpc-js";
import { createRequire } from "node:module";
import { type common, gateway, google, type peer } from "@hyperledger/fabric-protos";
import { preparedTransaction } from "./peer/transaction-envelope.js";
import { PEER_MSP, type InProcessPeer } from "./peer/peer.js";

const PEER_ADDRESS = "peer0.peerorg.example.com:7051";
const { Any } = createRequire(import.meta.url)("google-protobuf/google/protobuf/any_pb.js") as {
  Any: new () => { pack(bytes: Uint8Array, typeName: string): void };
};

export interface OrderingOptions {
  /** Transactions per block at most (Fabric's BatchSize.MaxMessageCount). */
  batchSize: number;
  /** How long a transaction waits for others before its block is cut, in ms (Fabric's BatchTimeout). */
  batchTimeout: number;
}

function failure(code: status, message: string, peerMessage?: string): ServerErrorResponse {
  const metadata = new Metadata();
  if (peerMessage !== undefined) {
    const detail = new gateway.ErrorDetail();
    detail.setAddress(PEER_ADDRESS);
    detail.setMspId(PEER_MSP);
    detail.setMessage(peerMessage);
    const any = new Any();
    any.pack(detail.serializeBinary(), "gateway.ErrorDetail");
    const rpcStatus = new google.rpc.Status();
    rpcStatus.setCode(code);
    rpcStatus.setMessage(message);
    rpcStatus.setDetailsList([any as never]);
    metadata.set("grpc-status-details-bin", Buffer.from(rpcStatus.serializeBinary()));
  }
  return Object.assign(new Error(message), { code, details: message, metadata });
}

export class GatewayService {
  private readonly server = new Server();
  private queue: Array<{ envelope: common.Envelope; done: () => void }> = [];
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly peer: InProcessPeer,
    private readonly ordering: OrderingOptions,
  ) {
    const implementation: gateway.IGatewayServer = {
      endorse: (call, callback) =>
        void this.endorse(call.request).then(
          (response) => callback(null, response),
          (error: ServerErrorResponse) => callback(error),
        ),
      submit: (call, callback) => this.enqueue(call.request.getPreparedTransaction()!, () => callback(null, new gateway.SubmitResponse())),
      commitStatus: (call, callback) =>
        void this.commitStatus(call.request).then(
          (response) => callback(null, response),
          (error: ServerErrorResponse) => callback(error),
        ),
      evaluate: (call, callback) =>
        void this.evaluate(call.request).then(
          (response) => callback(null, response),
          (error: ServerErrorResponse) => callback(error),
        ),
      chaincodeEvents: (call) => call.destroy(failure(status.UNIMPLEMENTED, "this gateway does not serve chaincode event streams")),
    };
    this.server.addService(gateway.GatewayService, implementation);
  }

  /** Listens on 127.0.0.1 at a free port; returns the service and its address. */
  static async start(
    peer: InProcessPeer,
    ordering: OrderingOptions = { batchSize: 1, batchTimeout: 0 },
  ): Promise<{ service: GatewayService; address: string }> {
    const service = new GatewayService(peer, ordering);
    const port = await new Promise<number>((resolve, reject) =>
      service.server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    return { service, address: `127.0.0.1:${port}` };
  }

  stop(): Promise<void> {
    clearTimeout(this.timer);
    this.server.forceShutdown();
    return Promise.resolve();
  }

  private async endorse(request: gateway.EndorseRequest): Promise<gateway.EndorseResponse> {
    const proposal = request.getProposedTransaction()!;
    const response = await this.peer.processProposal(proposal);
    const chaincodeResponse = response.getResponse()!;
    if (chaincodeResponse.getStatus() >= 400) {
      throw failure(
        status.ABORTED,
        "failed to endorse transaction, see attached details for more info",
        `chaincode response ${chaincodeResponse.getStatus()}, ${chaincodeResponse.getMessage()}`,
      );
    }
    const endorsed = new gateway.EndorseResponse();
    endorsed.setPreparedTransaction(preparedTransaction(proposal, [response]));
    return endorsed;
  }

  private async evaluate(request: gateway.EvaluateRequest): Promise<gateway.EvaluateResponse> {
    const response = (await this.peer.processProposal(request.getProposedTransaction()!)).getResponse()!;
    if (response.getStatus() >= 400) {
      const message = `chaincode response ${response.getStatus()}, ${response.getMessage()}`;
      // A creator the channel does not know, as a gateway reports it (seen against Fabric 2.5 with a wrong MSP id).
      const code = response.getMessage().startsWith("access denied") ? status.FAILED_PRECONDITION : status.UNKNOWN;
      throw failure(code, `evaluate call to endorser returned error: ${message}`, message);
    }
    const evaluated = new gateway.EvaluateResponse();
    evaluated.setResult(response);
    return evaluated;
  }

  /** The ordering service: a block is cut when the batch is full or its timeout passes. */
  private enqueue(envelope: common.Envelope, done: () => void): void {
    this.queue.push({ envelope, done });
    if (this.queue.length >= this.ordering.batchSize) this.cut();
    else this.timer ??= setTimeout(() => this.cut(), this.ordering.batchTimeout);
  }

  private cut(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    this.peer.order(batch.map(({ envelope }) => envelope));
    for (const { done } of batch) done();
  }

  /** Answers once the transaction is committed (at once when it already is). */
  private async commitStatus(signed: gateway.SignedCommitStatusRequest): Promise<gateway.CommitStatusResponse> {
    const request = gateway.CommitStatusRequest.deserializeBinary(signed.getRequest_asU8());
    this.peer.msps.verify(request.getIdentity_asU8(), signed.getRequest_asU8(), signed.getSignature_asU8());
    const txId = request.getTransactionId();
    const committed = await new Promise<{ code: number; block: number }>((resolve) => {
      const unsubscribe = this.peer.subscribe(0, () => {
        const found = this.peer.status(txId);
        if (found !== undefined) {
          queueMicrotask(() => unsubscribe());
          resolve(found);
        }
      });
    });
    const response = new gateway.CommitStatusResponse();
    response.setResult(committed.code as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap]);
    response.setBlockNumber(committed.block);
    return response;
  }
}
