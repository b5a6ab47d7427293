/**
 * The TraceGate chaincode on an in-process Fabric peer, with one MSP per organisation (`<ORG>MSP`)
 * and one member identity per organisation and role, whose certificate carries the role attribute.
 */
import "./quiet-chaincode-logs.js";
import { TraceGateContract } from "../../chaincode/src/contract.js";
import type { Actor } from "../../domain/index.js";
import { certificateAuthority, memberIdentity, type Identity } from "./identities.js";
import { PeerClient } from "./peer-client.js";
import { InProcessPeer, type LedgerSnapshot, type PeerOptions } from "./peer/peer.js";

export const CHANNEL = "customs";
export const CHAINCODE = "tracegate";

export function mspOf(org: string): string {
  return `${org}MSP`;
}

export class FabricNetwork {
  readonly client: PeerClient;
  /** The empty ledger, right after the chaincode started. */
  readonly genesis: LedgerSnapshot;

  private constructor(readonly peer: InProcessPeer) {
    this.client = new PeerClient(peer);
    this.genesis = peer.snapshot();
  }

  /** The chaincode from its sources, unless other contracts or a chaincode server's address are given. */
  static async start(contracts: PeerOptions["contracts"] = [TraceGateContract]): Promise<FabricNetwork> {
    return new FabricNetwork(await InProcessPeer.start({ channel: CHANNEL, chaincode: CHAINCODE, contracts }));
  }

  /** The identity `actor` signs with; its organisation's MSP joins the channel if it has not yet. */
  identityOf({ org, role }: Actor): Identity {
    const mspId = mspOf(org);
    this.peer.msps.add(certificateAuthority(mspId));
    return memberIdentity(mspId, `${role.toLowerCase()}.${org.toLowerCase()}`, { role });
  }
}
