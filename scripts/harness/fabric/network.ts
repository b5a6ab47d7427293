/**
 * The TraceGate chaincode on an in-process Fabric peer, with one MSP per organisation (`<ORG>MSP`)
 * and one member identity per organisation and role, whose certificate carries the role attribute.
 */
import "./quiet-chaincode-logs.js";
import { signers } from "@hyperledger/fabric-gateway";
import { TraceGateContract } from "../../../chaincode/src/contract.js";
import type { Actor, Facility, Id, Organisation } from "../../../domain/index.js";
import type { FabricSigner } from "../../../sdk/fabric/index.js";
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

  /** `actor`'s identity as a Fabric Gateway client holds it. */
  signerOf(actor: Actor): FabricSigner {
    const { mspId, certificate, privateKey } = this.identityOf(actor);
    return { identity: { mspId, credentials: Buffer.from(certificate) }, signer: signers.newPrivateKeySigner(privateKey) };
  }

  /**
   * Initialises the registry as the ADMIN of the first customs organisation, then registers the other
   * organisations (each with its MSP) and the facilities. Returns the customs organisation's id.
   */
  async register(organisations: readonly Organisation[], facilities: readonly Facility[]): Promise<Id> {
    const customs = organisations.find((organisation) => organisation.kind === "CUSTOMS");
    if (customs === undefined) throw new Error("the Fabric registry is initialised by a customs organisation; there is none");
    const admin = this.identityOf({ org: customs.id, role: "ADMIN" });
    await this.client.submit(admin, "InitLedger", [customs.id]);
    for (const { id, kind } of organisations.filter((organisation) => organisation !== customs))
      await this.client.submit(admin, "RegisterOrganisation", [id, kind, mspOf(id)]);
    for (const { id, kind, operator } of facilities) await this.client.submit(admin, "RegisterFacility", [id, kind, operator]);
    return customs.id;
  }
}
