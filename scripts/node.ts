/**
 * `npm run node` (and `npm start`): a local TraceGate network for the CLI and SDK. Hardhat's EDR chain
 * behind its JSON-RPC server on 127.0.0.1, the contracts deployed by the Ignition module, the demo
 * organisations registered with their accounts, and a document key pair per organisation. Prints the
 * settings to use. The chain lives in memory: stopping the node forgets it.
 *
 *   npm run node -- --port 8545
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { generateOrganisationKeyPair } from "../sdk/documents/keys.js";
import { DEMO_ORGANISATIONS } from "../sdk/demo-registry.js";
import { startDemoNetwork } from "../sdk/evm/demo-network.js";

const { values } = parseArgs({ options: { port: { type: "string", default: "8545" }, "data-dir": { type: "string", default: ".tracegate" } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write(`--port must be a port number, not "${values.port}"\n`);
  process.exit(2);
}
const dataDir = resolve(values["data-dir"]);
const keysDir = resolve(dataDir, "keys");

/** Each demo organisation's X25519 document keys, made once and kept in the data directory. */
async function writeDemoDocumentKeys(): Promise<void> {
  await mkdir(keysDir, { recursive: true });
  for (const { id } of DEMO_ORGANISATIONS) {
    if (existsSync(resolve(keysDir, `${id}.private.pem`))) continue;
    const { publicKey, privateKey } = generateOrganisationKeyPair();
    await writeFile(resolve(keysDir, `${id}.public.pem`), publicKey);
    await writeFile(resolve(keysDir, `${id}.private.pem`), privateKey, { mode: 0o600 });
  }
}

await writeDemoDocumentKeys();
let network;
try {
  network = await startDemoNetwork({ port });
} catch (error) {
  process.stderr.write(`could not start the node on 127.0.0.1:${port}: ${error instanceof Error ? error.message : error}\n(is another node using the port? try npm run node -- --port 8546)\n`);
  process.exit(3);
}
const { chain, signers } = network;
const keyOf = (org: string, role: string) => signers.find((signer) => signer.org === org && signer.role === role)!.privateKey;
process.stdout.write(`TraceGate local node on ${chain.url}: contracts deployed, demo organisations registered.
The chain lives in memory until you stop the node (Ctrl+C). In another shell:

export TRACEGATE_RPC_URL=${chain.url}
export TRACEGATE_REGISTRY=${chain.addresses.TraceGateRegistry}
export TRACEGATE_CUSTODY=${chain.addresses.CustodyRegistry}
export TRACEGATE_DATA_DIR=${resolve(dataDir, "documents")}
export TRACEGATE_KEYS_DIR=${keysDir}
# act as the certificate-of-origin issuer VCCI-HCM, sharing documents with customs:
export TRACEGATE_ORG=VCCI-HCM TRACEGATE_ROLE=SIGNER TRACEGATE_PRIVATE_KEY=${keyOf("VCCI-HCM", "SIGNER")}
export TRACEGATE_SHARE_WITH=VNCUSTOMS

npm run tracegate -- anchor README.md --kind CO --subject AP-FAB-1
npm run tracegate -- verify README.md

Demo account keys (publicly known: use them on this local node only):
${signers.map((signer) => `  ${`${signer.org}/${signer.role}`.padEnd(26)} ${signer.privateKey}`).join("\n")}
`);

const stop = async () => {
  await chain.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
