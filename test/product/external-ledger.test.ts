/**
 * The product following a ledger it does not run: an EVM chain over JSON-RPC (TRACEGATE_LEDGER=evm)
 * and a Fabric channel through a peer's Gateway over gRPC (TRACEGATE_LEDGER=fabric, the peer-less
 * network of test/fabric). Either way it indexes what was there before it started, prints a token per
 * registered organisation, and its API follows new actions as they are committed.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { CSRF_HEADER } from "../../api/yoga.js";
import { startProduct, type Product } from "../../product/product.js";
import { readProductSettings } from "../../product/settings.js";
import { actionEvent, epcisDirectory } from "../../sdk/epcis/index.js";
import type { Ledger } from "../../sdk/ledger.js";
import { CHAINCODE, CHANNEL } from "../../scripts/harness/fabric/network.js";
import { anchorAction, ANPHAT, ANPHAT_SIGNER, CUSTOMS, declareAction } from "../ledger/demo-actions.js";
import { startEvmDemoLedger } from "../ledger/evm-demo-ledger.js";
import { startFabricDemoLedger } from "../ledger/fabric-demo-ledger.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
});

async function home(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "tracegate-external-"));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

async function start(env: NodeJS.ProcessEnv): Promise<Product> {
  const product = await startProduct(readProductSettings({ TRACEGATE_PORT: "0", TRACEGATE_METRICS_PORT: "0", ...env }, process.cwd()), () => undefined);
  cleanups.push(() => product.stop());
  return product;
}

/** The lot's state as customs sees it through the product's API. */
async function stateOf(product: Product, home: string, lot: string): Promise<string | undefined> {
  const issuer = await devTokenIssuer(JSON.parse(await readFile(resolve(home, "api-dev-key.json"), "utf8")));
  const response = await fetch(`${product.apiUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", [CSRF_HEADER]: "1", authorization: `Bearer ${await issuer.mint("VNCUSTOMS", "AUDITOR")}` },
    body: JSON.stringify({ query: `query ($id: String!) { lot(id: $id) { state } }`, variables: { id: lot } }),
  });
  return ((await response.json()) as { data?: { lot: { state: string } | null } }).data?.lot?.state;
}

/** Declares L1 before the product starts; arrives it once it runs, and waits for the API to show it. */
async function followsTheLedger(ledger: Ledger, startFollowing: () => Promise<{ product: Product; home: string }>): Promise<void> {
  await ledger.submit(ANPHAT_SIGNER, anchorAction("decl-L1", "DECLARATION", ["L1"]));
  await ledger.submit(ANPHAT, declareAction("L1", "decl-L1"));
  const { product, home } = await startFollowing();
  expect(product.ledger.embedded).toBeUndefined();
  expect(product.devTokens.map(({ org, role }) => `${org}/${role}`)).toEqual([
    "AN-PHAT/OPERATOR",
    "SAIGON-TERMINAL/OPERATOR",
    "VCCI-HCM/SIGNER",
    "VNCUSTOMS/AUDITOR",
    "VNCUSTOMS/OFFICER",
  ]);
  expect(await stateOf(product, home, "L1")).toBe("DECLARED");

  await ledger.submit(CUSTOMS, { type: "arrive", lot: "L1", facility: "VNSGN-CATLAI" });
  await expect.poll(() => stateOf(product, home, "L1"), { timeout: 10_000, interval: 100 }).toBe("ARRIVED");

  // The node acts for the members in TRACEGATE_MEMBER_KEYS (customs officers here), as the token says.
  const issuer = await devTokenIssuer(JSON.parse(await readFile(resolve(home, "api-dev-key.json"), "utf8")));
  const capture = async (org: string, role: "OFFICER" | "OPERATOR", event: Record<string, unknown>) =>
    fetch(`${product.apiUrl}/epcis/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await issuer.mint(org, role)}` },
      body: JSON.stringify(event),
    });
  const hold = actionEvent({ type: "hold", lot: "L1", reason: "kiểm tra" }, { directory: epcisDirectory(), time: 0n, eventID: "urn:uuid:external-hold" });
  expect((await capture("VNCUSTOMS", "OFFICER", hold)).status).toBe(201);
  expect((await capture("VNCUSTOMS", "OFFICER", hold)).status).toBe(200);
  const byEnterprise = await capture("AN-PHAT", "OPERATOR", { ...hold, eventID: "urn:uuid:not-my-key" });
  expect(byEnterprise.status).toBe(403);
  await expect.poll(() => stateOf(product, home, "L1"), { timeout: 10_000, interval: 100 }).toBe("HELD");
}

/** TRACEGATE_MEMBER_KEYS in `home`, owner-only. */
async function memberKeys(home: string, members: unknown[]): Promise<string> {
  const path = join(home, "member-keys.json");
  await writeFile(path, JSON.stringify(members), { mode: 0o600 });
  return path;
}

describe("the product on an external ledger", () => {
  it("follows an EVM chain over JSON-RPC", async () => {
    const evm = await startEvmDemoLedger({ port: 0 });
    cleanups.push(() => evm.stop());
    const { TraceGateRegistry, CustodyRegistry } = evm.network.chain.addresses;
    await followsTheLedger(evm.ledger, async () => {
      const directory = await home();
      const officer = evm.network.signers.find(({ org, role }) => org === "VNCUSTOMS" && role === "OFFICER")!;
      const env = {
        TRACEGATE_HOME: directory,
        TRACEGATE_LEDGER: "evm",
        TRACEGATE_RPC_URL: evm.network.chain.url,
        TRACEGATE_REGISTRY: TraceGateRegistry,
        TRACEGATE_CUSTODY: CustodyRegistry,
        TRACEGATE_FINALITY: "0",
        TRACEGATE_MEMBER_KEYS: await memberKeys(directory, [officer]),
      };
      return { product: await start(env), home: directory };
    });
  }, 60_000);

  it("follows a Fabric channel through a peer's Gateway", async () => {
    const fabric = await startFabricDemoLedger();
    cleanups.push(() => fabric.stop());
    await followsTheLedger(fabric.ledger, async () => {
      const directory = await home();
      const { mspId, certificate, privateKey } = fabric.network.identityOf({ org: "VNCUSTOMS", role: "AUDITOR" });
      await writeFile(join(directory, "cert.pem"), certificate);
      await writeFile(join(directory, "key.pem"), privateKey.export({ type: "pkcs8", format: "pem" }));
      const officer = fabric.network.identityOf({ org: "VNCUSTOMS", role: "OFFICER" });
      await writeFile(join(directory, "officer-cert.pem"), officer.certificate);
      await writeFile(join(directory, "officer-key.pem"), officer.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
      const env = {
        TRACEGATE_HOME: directory,
        TRACEGATE_LEDGER: "fabric",
        TRACEGATE_FABRIC_GATEWAY: fabric.address,
        TRACEGATE_FABRIC_PLAINTEXT: "true",
        TRACEGATE_FABRIC_MSP_ID: mspId,
        TRACEGATE_FABRIC_CERT: join(directory, "cert.pem"),
        TRACEGATE_FABRIC_KEY: join(directory, "key.pem"),
        TRACEGATE_FABRIC_CHANNEL: CHANNEL,
        TRACEGATE_FABRIC_CHAINCODE: CHAINCODE,
        TRACEGATE_MEMBER_KEYS: await memberKeys(directory, [
          { org: "VNCUSTOMS", role: "OFFICER", mspId: officer.mspId, certPath: "officer-cert.pem", keyPath: "officer-key.pem" },
        ]),
      };
      return { product: await start(env), home: directory };
    });
  }, 60_000);
});
