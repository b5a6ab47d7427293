/** How clients address the chaincode's contract, and which of its functions a transaction invoked. */

/** The chaincode's contract: clients call its functions as "TraceGate:<function>". */
export const CONTRACT = "TraceGate";

/**
 * The TraceGate function a transaction invoked, or undefined for another contract's. fabric-shim
 * splits the name at its first ":" and routes a name with no contract to the default contract, which
 * TraceGate (the chaincode's only contract) is.
 */
export function tracegateFunction(invoked: string): string | undefined {
  const split = invoked.indexOf(":");
  if (split < 0) return invoked;
  const contract = invoked.slice(0, split);
  return contract === CONTRACT || contract === "" ? invoked.slice(split + 1) : undefined;
}
