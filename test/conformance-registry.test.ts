/**
 * The registry's refusals in one vocabulary on every ledger: an organisation or facility id registered
 * twice is ALREADY_REGISTERED, a facility whose operator is not registered UNKNOWN_ORGANISATION.
 * (Registration is set up outside the vectors, so it has its own test.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ErrorCode, Facility, Organisation } from "../domain/index.js";
import { DomainLedger } from "./conformance/domain-ledger.js";
import { EvmChain } from "../scripts/harness/evm-chain.js";
import { TimedEvmLedger } from "../scripts/harness/timed-evm-ledger.js";
import { FabricConformanceLedger } from "./conformance/fabric-ledger.js";
import type { ConformanceLedger } from "../scripts/harness/conformance-ledger.js";
import { FabricNetwork } from "../scripts/harness/fabric/network.js";

const customs: Organisation = { id: "VNCUSTOMS", kind: "CUSTOMS" };
const enterprise: Organisation = { id: "AN-PHAT", kind: "ENTERPRISE" };
const factory: Facility = { id: "VNBNH-ANPHAT-F1", kind: "FACTORY", operator: "AN-PHAT" };

const cases: Array<[what: string, organisations: Organisation[], facilities: Facility[], code: ErrorCode]> = [
  ["an organisation id twice", [customs, enterprise, { ...enterprise, kind: "WAREHOUSE" }], [], "ALREADY_REGISTERED"],
  ["a facility id twice", [customs, enterprise], [factory, { ...factory, kind: "WAREHOUSE" }], "ALREADY_REGISTERED"],
  ["a facility of an unregistered operator", [customs], [factory], "UNKNOWN_ORGANISATION"],
  [
    "a facility id twice, the second time with an unregistered operator",
    [customs, enterprise],
    [factory, { ...factory, operator: "NOBODY" }],
    "ALREADY_REGISTERED",
  ],
];

describe("registry refusals on every ledger", () => {
  let chain: EvmChain;
  let network: FabricNetwork;
  beforeAll(async () => {
    [chain, network] = await Promise.all([EvmChain.start(), FabricNetwork.start()]);
  });
  afterAll(() => chain.stop());

  const ledgers: Array<[name: string, open: () => ConformanceLedger]> = [
    ["domain", () => new DomainLedger()],
    ["EVM contracts", () => new TimedEvmLedger(chain)],
    ["Fabric chaincode", () => new FabricConformanceLedger(network)],
  ];

  for (const [name, open] of ledgers) {
    it.each(cases)(`${name}: refuses %s`, async (_what, organisations, facilities, code) => {
      await expect(open().register(organisations, facilities)).rejects.toMatchObject({ name: "TraceGateError", code });
    });
  }
});
