/**
 * A failed Fabric Gateway read as the indexer must treat it: refused for good (the identity, channel or
 * chaincode is wrong; SourceRefusedError stops the indexer) or unavailable for now (LedgerUnavailableError;
 * the indexer retries with backoff). Either message carries the peers' own words (`error.details`), which
 * hold the real cause: the gateway's message is often only "evaluate call to endorser returned error".
 */
import { status } from "@grpc/grpc-js";
import { GatewayError } from "@hyperledger/fabric-gateway";
import { LedgerUnavailableError } from "../../../sdk/ledger.js";
import { SourceRefusedError } from "../source.js";

/** Statuses that the same request will meet again: wrong identity, arguments, channel or chaincode. */
const PERMANENT = new Set<number>([
  status.FAILED_PRECONDITION,
  status.PERMISSION_DENIED,
  status.UNAUTHENTICATED,
  status.INVALID_ARGUMENT,
  status.NOT_FOUND,
  status.UNIMPLEMENTED,
]);
/** Peers' refusals that Fabric reports with a retryable-looking status (UNKNOWN): the identity is not one the channel knows. */
const PERMANENT_DETAIL =
  /access denied|creator org unknown|creator is malformed|not a member of the channel|identity is not valid|certificate (has expired|is revoked)/i;

/** What to do about the failure: SourceRefusedError, or LedgerUnavailableError to retry. */
export function classifyGatewayFailure(error: unknown, source: string): SourceRefusedError | LedgerUnavailableError {
  const gateway = gatewayErrorIn(error);
  if (gateway === undefined)
    return error instanceof LedgerUnavailableError
      ? error
      : new LedgerUnavailableError(`${source}: ${String((error as Error)?.message ?? error)}`, { cause: error });
  const name = Object.entries(status).find(([, value]) => value === gateway.code)?.[0] ?? String(gateway.code);
  const details = gateway.details.map(({ address, mspId, message }) => `${address} (${mspId}): ${message}`);
  // grpc-js starts the message with the status ("9 FAILED_PRECONDITION: …"), named here already.
  const described = `${name}: ${gateway.message.replace(/^\d+ [A-Z_]+: /, "")}${details.length === 0 ? "" : `; ${details.join("; ")}`}`;
  if (PERMANENT.has(gateway.code) || [gateway.message, ...gateway.details.map((detail) => detail.message)].some((text) => PERMANENT_DETAIL.test(text))) {
    return new SourceRefusedError(
      `the Fabric gateway refuses ${source} for good (${described}): check TRACEGATE_FABRIC_MSP_ID, _CERT and _KEY (an identity the channel knows), _CHANNEL and _CHAINCODE`,
      { cause: gateway },
    );
  }
  return new LedgerUnavailableError(`the Fabric gateway could not serve ${source} (${described}); retrying`, { cause: gateway });
}

function gatewayErrorIn(error: unknown): GatewayError | undefined {
  for (let found = error; found instanceof Error; found = found.cause) if (found instanceof GatewayError) return found;
  return undefined;
}
