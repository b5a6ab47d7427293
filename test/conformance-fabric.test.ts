import { beforeAll, describe, it } from "vitest";
import { FabricConformanceLedger } from "./conformance/fabric-ledger.js";
import { runVector } from "./conformance/runner.js";
import { loadVectors } from "./conformance/vectors.js";
import { FabricNetwork } from "../scripts/harness/fabric/network.js";

describe("conformance vectors on the Fabric chaincode", () => {
  let network: FabricNetwork;
  beforeAll(async () => {
    network = await FabricNetwork.start();
  });

  for (const vector of loadVectors()) {
    it(`${vector.file}: ${vector.name}`, async () => {
      await runVector(vector, new FabricConformanceLedger(network));
    });
  }
});
