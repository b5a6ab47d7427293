/**
 * Which Fabric Gateway failures stop the indexer and which it retries: the gRPC statuses that the same
 * read will meet again, and the peers' identity refusals that Fabric reports as UNKNOWN, stop it; a
 * peer down, overloaded or slow is retried. Either message carries the peers' details.
 */
import { status, type ServiceError } from "@grpc/grpc-js";
import { GatewayError } from "@hyperledger/fabric-gateway";
import { describe, expect, it } from "vitest";
import { classifyGatewayFailure } from "../../indexer/sources/fabric/gateway-failures.js";
import { SourceRefusedError } from "../../indexer/sources/source.js";
import { LedgerUnavailableError } from "../../sdk/ledger.js";

function failure(code: status, message: string, peerMessage?: string): Error {
  const details = peerMessage === undefined ? [] : [{ address: "peer0.org1.example.com:7051", mspId: "Org1MSP", message: peerMessage }];
  const gateway = new GatewayError({
    code,
    details,
    cause: Object.assign(new Error(message), { code }) as unknown as ServiceError,
    message: `${code} ${status[code]}: ${message}`,
  });
  // As sdk/fabric hands it on: wrapped in a LedgerUnavailableError.
  return new LedgerUnavailableError("the Fabric gateway call failed", { cause: gateway });
}

describe("Fabric gateway failures", () => {
  it("stops for the statuses a retry meets again, with the peers' details and the settings to check", () => {
    for (const code of [
      status.FAILED_PRECONDITION,
      status.PERMISSION_DENIED,
      status.UNAUTHENTICATED,
      status.INVALID_ARGUMENT,
      status.NOT_FOUND,
      status.UNIMPLEMENTED,
    ]) {
      const classified = classifyGatewayFailure(failure(code, "evaluate call to endorser returned error", "creator org unknown"), "the reads");
      expect(classified).toBeInstanceOf(SourceRefusedError);
      expect(classified.message).toBe(
        `the Fabric gateway refuses the reads for good (${status[code]}: evaluate call to endorser returned error; peer0.org1.example.com:7051 (Org1MSP): creator org unknown): check TRACEGATE_FABRIC_MSP_ID, _CERT and _KEY (an identity the channel knows), _CHANNEL and _CHAINCODE`,
      );
    }
  });

  it("stops for an identity the channel refuses, whatever status carries it", () => {
    const unknown = failure(status.UNKNOWN, "error validating proposal", "access denied: channel [mychannel] creator org unknown, creator is malformed");
    expect(classifyGatewayFailure(unknown, "the reads")).toBeInstanceOf(SourceRefusedError);
  });

  it("retries a peer that is down, overloaded, slow or conflicted, saying why", () => {
    for (const code of [status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED, status.ABORTED, status.UNKNOWN, status.INTERNAL]) {
      const classified = classifyGatewayFailure(failure(code, "no connection established", "connection refused"), "the reads");
      expect(classified).toBeInstanceOf(LedgerUnavailableError);
      expect(classified.message).toBe(
        `the Fabric gateway could not serve the reads (${status[code]}: no connection established; peer0.org1.example.com:7051 (Org1MSP): connection refused); retrying`,
      );
    }
    const other = new LedgerUnavailableError("qscc answered block 3 with another block");
    expect(classifyGatewayFailure(other, "the reads")).toBe(other);
  });
});
