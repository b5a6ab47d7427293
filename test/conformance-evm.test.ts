import { afterAll, beforeAll, describe, it } from "vitest";
import { EvmChain } from "../scripts/harness/evm-chain.js";
import { TimedEvmLedger } from "../scripts/harness/timed-evm-ledger.js";
import { runVector } from "./conformance/runner.js";
import { loadVectors } from "./conformance/vectors.js";

describe("conformance vectors on the EVM contracts", () => {
  let chain: EvmChain;
  beforeAll(async () => {
    chain = await EvmChain.start();
  });
  afterAll(() => chain.stop());

  for (const vector of loadVectors()) {
    it(`${vector.file}: ${vector.name}`, async () => {
      await runVector(vector, new TimedEvmLedger(chain));
    });
  }
});
