/**
 * The demo network on an in-process Fabric peer behind a Fabric Gateway service on 127.0.0.1, with a
 * FabricLedger acting for every demo organisation and role (one identity each).
 */
import { Client, credentials } from "@grpc/grpc-js";
import { ROLES_BY_ORG_KIND, type Actor } from "../../domain/index.js";
import { DEMO_FACILITIES, DEMO_ORGANISATIONS } from "../../sdk/demo-registry.js";
import { FabricLedger } from "../../sdk/fabric/index.js";
import { actorKey } from "../../sdk/ledger.js";
import { GatewayService, type OrderingOptions } from "../../scripts/harness/fabric/gateway-service.js";
import { CHAINCODE, CHANNEL, FabricNetwork } from "../../scripts/harness/fabric/network.js";

export interface FabricDemoLedger {
  network: FabricNetwork;
  ledger: FabricLedger;
  /** The Fabric Gateway service's address, for other clients. */
  address: string;
  /** The peer's block height. */
  height(): Promise<bigint>;
  stop(): Promise<void>;
}

export const DEMO_ACTORS: readonly Actor[] = DEMO_ORGANISATIONS.flatMap(({ id, kind }) => ROLES_BY_ORG_KIND[kind].map((role) => ({ org: id, role })));

/** The demo network, its gateway's orderer cutting blocks as `ordering` says (one transaction each by default). */
export async function startFabricDemoLedger(ordering?: OrderingOptions): Promise<FabricDemoLedger> {
  const network = await FabricNetwork.start();
  await network.register(DEMO_ORGANISATIONS, DEMO_FACILITIES);
  const { service, address } = await GatewayService.start(network.peer, ordering);
  const client = new Client(address, credentials.createInsecure());
  const identities = new Map(DEMO_ACTORS.map((actor) => [actorKey(actor), network.signerOf(actor)] as const));
  const ledger = await FabricLedger.connect({ client, channel: CHANNEL, chaincode: CHAINCODE, identities });
  return {
    network,
    ledger,
    address,
    height: async () => BigInt(network.peer.height),
    async stop() {
      await ledger.close();
      client.close();
      await service.stop();
      network.peer.stop();
    },
  };
}
