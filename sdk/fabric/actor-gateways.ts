/**
 * The identities a FabricLedger acts as, one Fabric Gateway connection each over the caller's gRPC
 * client, checked when connecting against what the chaincode makes of them: the organisation its
 * registry maps the identity's MSP to, and the certificate's role.
 */
import { connect, hash, type Contract, type Gateway, type Identity, type Network, type Signer } from "@hyperledger/fabric-gateway";
import type { Client } from "@grpc/grpc-js";
import { TraceGateError, type Actor } from "../../domain/index.js";
import { actorKey, LedgerConfigurationError } from "../ledger.js";
import { actorShape, decodeJson } from "../../chaincode/src/codec.js";
import { CONTRACT } from "./contract-name.js";
import { throughGateway } from "./errors.js";

/** An identity (MSP ID and certificate) and the signer of its private key. */
export interface FabricSigner {
  identity: Identity;
  signer: Signer;
}

export interface ActorGateway {
  gateway: Gateway;
  network: Network;
  contract: Contract;
}

export class ActorGateways {
  private constructor(
    private readonly byActor: ReadonlyMap<string, ActorGateway>,
    /** Reads, events and commit status requests go through the first identity given. */
    readonly reader: ActorGateway,
  ) {}

  /** Connects each identity ("ORG/ROLE" to its signer) and checks that the chaincode sees it as that actor. */
  static async open(client: Client, channel: string, chaincode: string, identities: ReadonlyMap<string, FabricSigner>): Promise<ActorGateways> {
    if (identities.size === 0) throw new LedgerConfigurationError("a Fabric ledger needs at least one identity to act as and to read with");
    const byActor = new Map<string, ActorGateway>();
    try {
      for (const [key, { identity, signer }] of identities) {
        const gateway = connect({ client, identity, signer, hash: hash.sha256 });
        const network = gateway.getNetwork(channel);
        byActor.set(key, { gateway, network, contract: network.getContract(chaincode, CONTRACT) });
        await requireActor(key, identity, byActor.get(key)!.contract);
      }
    } catch (error) {
      closeAll(byActor);
      throw error;
    }
    return new ActorGateways(byActor, byActor.values().next().value!);
  }

  /** The connection `actor` submits through. */
  of(actor: Actor): ActorGateway {
    const connection = this.byActor.get(actorKey(actor));
    if (connection === undefined) throw new LedgerConfigurationError(`no Fabric identity is configured for ${actorKey(actor)}`);
    return connection;
  }

  /** Closes the gateway connections (not the gRPC client, which belongs to the caller). */
  close(): void {
    closeAll(this.byActor);
  }
}

function closeAll(connections: ReadonlyMap<string, ActorGateway>): void {
  for (const { gateway } of connections.values()) gateway.close();
}

async function requireActor(key: string, identity: Identity, contract: Contract): Promise<void> {
  const answer = await throughGateway(() => contract.evaluateTransaction("ReadCaller")).catch((error: unknown) => {
    if (error instanceof TraceGateError) throw new LedgerConfigurationError(`the identity given for ${key} cannot act: ${error.message}`);
    throw error;
  });
  const caller = decodeJson(actorShape, Buffer.from(answer).toString("utf8"));
  if (actorKey(caller) === key) return;
  const seen = caller.org === "" ? `a ${caller.role} of MSP ${identity.mspId}, which no registered organisation uses` : `a ${caller.role} of ${caller.org}`;
  throw new LedgerConfigurationError(`the identity given for ${key} is ${seen}: use that organisation's certificate, or ask customs to register its MSP`);
}
