/** Fabric Gateway failures as TraceGate errors, and the commit failures that have no rule behind them. */
import { GatewayError, StatusCode } from "@hyperledger/fabric-gateway";
import type { TraceGateError } from "../../domain/index.js";
import { decodeError } from "./codec.js";

/** A transaction that was ordered but failed validation (e.g. MVCC_READ_CONFLICT after the retries). */
export class FabricCommitError extends Error {
  override name = "FabricCommitError";
  constructor(
    readonly transactionId: string,
    /** The Fabric TxValidationCode. */
    readonly code: number,
  ) {
    super(`transaction ${transactionId} failed validation with ${validationCodeName(code)}`);
  }
}

export function validationCodeName(code: number): string {
  return Object.entries(StatusCode).find(([, value]) => value === code)?.[0] ?? String(code);
}

/**
 * The TraceGateError a gateway call failed with: the chaincode's message, with its code, is in the
 * error details of each endorsing peer (`chaincode response 500, ILLEGAL_TRANSITION: …`).
 */
export function refusalOf(error: unknown): TraceGateError | undefined {
  if (!(error instanceof GatewayError)) return undefined;
  for (const message of [...error.details.map((detail) => detail.message), error.message]) {
    const refusal = decodeError(message);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}
