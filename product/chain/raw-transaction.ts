/**
 * A mined transaction as JSON-RPC returns it (eth_getBlockByNumber with full transactions) back to the
 * raw signed bytes eth_sendRawTransaction takes. Nodes do not all offer eth_getRawTransactionByHash
 * (Hardhat's EDR does not), so ethers re-serialises the fields, and the result must hash to the
 * transaction's hash: anything else would journal a transaction that is not the one mined.
 */
import { keccak256, Signature, Transaction, type TransactionLike } from "ethers";

export interface RpcTransaction {
  hash: string;
  type: string;
  chainId?: string;
  nonce: string;
  gas: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
  to: string | null;
  value: string;
  input: string;
  accessList?: Array<{ address: string; storageKeys: string[] }>;
  authorizationList?: Array<{ chainId: string; address: string; nonce: string; yParity: string; r: string; s: string }>;
  v: string;
  r: string;
  s: string;
}

/** The raw transaction could not be rebuilt from the node's fields. */
export class RawTransactionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RawTransactionError";
  }
}

/** Legacy, EIP-2930, EIP-1559, EIP-7702. Blob transactions (3) would need their blobs, which blocks do not carry. */
const FEE_MARKET_TYPES = new Set([2, 4]);
const SUPPORTED_TYPES = new Set([0, 1, 2, 4]);

export function rawTransaction(tx: RpcTransaction): string {
  const type = Number(tx.type);
  if (!SUPPORTED_TYPES.has(type)) throw new RawTransactionError(`transaction ${tx.hash} has type ${type}: only types 0, 1, 2 and 4 can be re-serialised`);
  const fees: TransactionLike = FEE_MARKET_TYPES.has(type)
    ? { maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas }
    : { gasPrice: tx.gasPrice };
  const raw = Transaction.from({
    type,
    chainId: tx.chainId,
    nonce: Number(tx.nonce),
    gasLimit: tx.gas,
    ...fees,
    to: tx.to,
    value: tx.value,
    data: tx.input,
    accessList: type === 0 ? undefined : tx.accessList,
    authorizationList: tx.authorizationList?.map((authorization) => ({
      chainId: BigInt(authorization.chainId),
      address: authorization.address,
      nonce: BigInt(authorization.nonce),
      signature: Signature.from({ r: authorization.r, s: authorization.s, yParity: Number(authorization.yParity) as 0 | 1 }),
    })),
    signature: { r: tx.r, s: tx.s, v: BigInt(tx.v) },
  }).serialized;
  const hash = keccak256(raw);
  if (hash !== tx.hash)
    throw new RawTransactionError(
      `transaction ${tx.hash} re-serialises to bytes whose hash is ${hash}: the node's fields do not give back the transaction that was mined`,
    );
  return raw;
}
