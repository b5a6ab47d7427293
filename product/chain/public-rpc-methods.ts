/**
 * The JSON-RPC methods a client of a permissioned chain needs (the SDK, the CLI, the indexer, wallets,
 * block explorers): reads, gas figures and signed transactions. The embedded chain serves these to any
 * caller it accepts; the node's own control (evm_*, hardhat_*), signing with its unlocked accounts
 * (eth_sendTransaction, eth_sign…), debug_* and the rest stay in process, or behind the control token.
 */
export const PUBLIC_RPC_METHODS: ReadonlySet<string> = new Set([
  "web3_clientVersion",
  "web3_sha3",
  "net_version",
  "net_listening",
  "net_peerCount",
  "eth_chainId",
  "eth_syncing",
  "eth_blockNumber",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getBlockTransactionCountByNumber",
  "eth_getBlockTransactionCountByHash",
  "eth_getTransactionByHash",
  "eth_getTransactionByBlockNumberAndIndex",
  "eth_getTransactionByBlockHashAndIndex",
  "eth_getTransactionReceipt",
  "eth_getLogs",
  "eth_call",
  "eth_estimateGas",
  "eth_gasPrice",
  "eth_feeHistory",
  "eth_maxPriorityFeePerGas",
  "eth_blobBaseFee",
  "eth_getBalance",
  "eth_getCode",
  "eth_getStorageAt",
  "eth_getProof",
  "eth_getTransactionCount",
  "eth_sendRawTransaction",
]);
