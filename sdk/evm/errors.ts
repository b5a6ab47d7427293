/** Contract reverts as domain errors. */
import type { ErrorDescription, ParamType } from "ethers";
import {
  BatchRefusedError,
  DOCUMENT_KINDS,
  DOCUMENT_STATUSES,
  ERROR_CODES,
  FACILITY_KINDS,
  LOT_STATES,
  ORG_KINDS,
  ROLES,
  solidityErrorName,
  TraceGateError,
  type ErrorCode,
} from "../../domain/index.js";
import { contractInterface } from "./artifacts.js";
import { decodeHash, decodeId, enumValue } from "./ids.js";
import type { OrganisationDirectory } from "./organisations.js";

/**
 * A revert with no domain error code: hashed state the caller sent is outdated (StaleLotState,
 * StaleNormState: refresh from events and retry), member accounts, which only the EVM registry has
 * (MemberExists, NotAMember, RoleNotAllowed), OpenZeppelin AccessControl errors, or a revert the contracts' ABI
 * does not explain (`errorName` "unknown").
 */
export class EvmRevertError extends Error {
  constructor(
    readonly errorName: string,
    readonly details: Readonly<Record<string, string>>,
  ) {
    super(`the contract reverted with ${describe(errorName, details)}`);
    this.name = "EvmRevertError";
  }
}

const CODE_BY_ERROR_NAME = new Map<string, ErrorCode>(ERROR_CODES.map((code) => [solidityErrorName(code), code]));

/** Bytes32 error parameters that are ids (the others are hashes). */
const ID_PARAMETERS = new Set(["id", "lot", "facility", "org", "product", "seal"]);

/** Enum error parameters, by name, and the domain array each indexes. */
const ENUM_PARAMETERS: Record<string, readonly string[]> = {
  state: LOT_STATES,
  documentKind: DOCUMENT_KINDS,
  facilityKind: FACILITY_KINDS,
  status: DOCUMENT_STATUSES,
  orgKind: ORG_KINDS,
  role: ROLES,
};

/** The error a contract's revert `data` stands for: a TraceGateError when it has a domain code. */
export function decodeRevert(data: string, orgs: OrganisationDirectory): TraceGateError | EvmRevertError {
  const error = parseError(data);
  if (error === null) return new EvmRevertError("unknown", { data });
  if (error.name === "BatchRefused") return batchRefusal(Number(error.args[0] as bigint), decodeRevert(error.args[1] as string, orgs));
  const details: Record<string, string> = {};
  error.fragment.inputs.forEach((param, index) => {
    details[param.name] = describeArgument(param, error.args[index], orgs);
  });
  const code = CODE_BY_ERROR_NAME.get(error.name);
  if (code === undefined) return new EvmRevertError(error.name, details);
  return new TraceGateError(code, `the contract reverted with ${describe(error.name, details)}`, details);
}

/**
 * A batch refused at action `index`: BatchRefusedError with that action's code, or, for an error with
 * no domain code (StaleLotState), that error with the index among its details.
 */
function batchRefusal(index: number, inner: TraceGateError | EvmRevertError): BatchRefusedError | EvmRevertError {
  if (inner instanceof TraceGateError) return new BatchRefusedError(index, inner);
  return new EvmRevertError(inner.errorName, { ...inner.details, batchIndex: String(index) });
}

/** The revert data carried by an error thrown by ethers or the Hardhat provider, if any. */
export function revertDataOf(error: unknown): string | undefined {
  for (let cause: unknown = error, depth = 0; typeof cause === "object" && cause !== null && depth < 5; depth++) {
    const { data, error: inner, info, cause: next } = cause as Record<string, unknown>;
    if (typeof data === "string" && data.startsWith("0x")) return data;
    cause = inner ?? (info as Record<string, unknown> | undefined)?.error ?? next;
  }
  return undefined;
}

function parseError(data: string): ErrorDescription | null {
  for (const name of ["CustodyRegistry", "TraceGateRegistry"] as const) {
    try {
      const error = contractInterface(name).parseError(data);
      if (error !== null) return error;
    } catch {
      // not an error of this contract (or malformed): try the next one
    }
  }
  return null;
}

function describeArgument(param: ParamType, value: unknown, orgs: OrganisationDirectory): string {
  const values = ENUM_PARAMETERS[param.name];
  if (values !== undefined) return enumValue(values, value as bigint);
  if (param.type === "bytes32") return ID_PARAMETERS.has(param.name) ? decodeId(value as string) : decodeHash(value as string);
  if (param.type === "uint32") {
    try {
      return orgs.idOf(value as bigint);
    } catch {
      return `organisation #${value}`;
    }
  }
  return String(value);
}

function describe(errorName: string, details: Readonly<Record<string, string>>): string {
  return `${errorName}(${Object.entries(details)
    .map(([key, value]) => `${key}: ${value}`)
    .join(", ")})`;
}
