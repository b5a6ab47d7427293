/** Fabric Gateway failures as TraceGate errors, and the failures that have no rule behind them. */
import { GatewayError, StatusCode } from "@hyperledger/fabric-gateway";
import type { TraceGateError } from "../../domain/index.js";
import { LedgerUnavailableError } from "../ledger.js";
import { decodeError } from "../../chaincode/src/codec.js";

/** A transaction that was ordered but failed validation (e.g. MVCC_READ_CONFLICT after the retries): sending it again may succeed. */
export class FabricCommitError extends LedgerUnavailableError {
  constructor(
    readonly transactionId: string,
    /** The Fabric TxValidationCode. */
    readonly code: number,
  ) {
    super(`transaction ${transactionId} failed validation with ${validationCodeName(code)}`);
    this.name = "FabricCommitError";
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

/** What a failed gateway call means to a client: the rules' refusal, or an unavailable ledger. */
export function gatewayFailure(error: unknown): TraceGateError | LedgerUnavailableError {
  return refusalOf(error) ?? new LedgerUnavailableError(`the Fabric gateway call failed: ${(error as Error).message}`, { cause: error });
}

/** Runs a gateway call: a chaincode refusal throws its TraceGateError, any other failure LedgerUnavailableError. */
export async function throughGateway<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw gatewayFailure(error);
  }
}
