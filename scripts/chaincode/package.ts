/**
 * `npm run chaincode:package`: bundles the chaincode (chaincode/src with domain/ and the codec, one
 * CommonJS file for Node 18, the Node version of Fabric 2.5's fabric-nodeenv) and writes
 *   build/chaincode/tracegate/               the chaincode: package.json, dist/index.js, start-server.sh, Dockerfile
 *   build/chaincode/tracegate.tar.gz         standard Node package, built by the peer (`peer lifecycle chaincode install`)
 *   build/chaincode/tracegate-ccaas.tar.gz   chaincode-as-a-service package: the address the peer dials
 * and prints each package's ID. CHAINCODE_ADDRESS (default tracegate-ccaas:9999) sets the ccaas address.
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { tarGz, type TarEntry } from "./tar.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TEMPLATE = join(ROOT, "chaincode", "package");
/** Installed by the peer's builder (or the ccaas image) from the package's package.json, not bundled. */
const RUNTIME_DEPENDENCIES = ["fabric-contract-api", "fabric-shim"];

export interface PackageOptions {
  outDir: string;
  /** host:port the peer dials to reach the chaincode service. */
  ccaasAddress: string;
}

export interface ChaincodePackage {
  file: string;
  label: string;
  /** The ID `peer lifecycle chaincode install` reports: label and SHA-256 of the package. */
  packageId: string;
}

export interface Packages {
  chaincodeDir: string;
  node: ChaincodePackage;
  ccaas: ChaincodePackage;
}

export async function packageChaincode({ outDir, ccaasAddress }: PackageOptions): Promise<Packages> {
  const chaincodeDir = join(outDir, "tracegate");
  rmSync(chaincodeDir, { recursive: true, force: true });
  mkdirSync(join(chaincodeDir, "dist"), { recursive: true });
  await build({
    entryPoints: [join(ROOT, "chaincode", "src", "index.ts")],
    outfile: join(chaincodeDir, "dist", "index.js"),
    bundle: true,
    platform: "node",
    target: "node18",
    format: "cjs",
    external: RUNTIME_DEPENDENCIES,
    tsconfig: join(ROOT, "tsconfig.json"),
    logLevel: "warning",
  });
  for (const file of ["package.json", "start-server.sh", "Dockerfile"]) copyFileSync(join(TEMPLATE, file), join(chaincodeDir, file));

  const { version } = JSON.parse(readFileSync(join(TEMPLATE, "package.json"), "utf8")) as { version: string };
  const read = (path: string): TarEntry => ({ path: `src/${path}`, content: readFileSync(join(chaincodeDir, path)) });
  const node = writePackage(outDir, "tracegate.tar.gz", `tracegate_${version}`, { path: "tracegate", type: "node" }, [
    read("package.json"),
    read("dist/index.js"),
  ]);
  const connection = { address: ccaasAddress, dial_timeout: "10s", tls_required: false };
  const ccaas = writePackage(outDir, "tracegate-ccaas.tar.gz", `tracegate_ccaas_${version}`, { type: "ccaas" }, [
    { path: "connection.json", content: Buffer.from(JSON.stringify(connection, null, 2)) },
  ]);
  return { chaincodeDir, node, ccaas };
}

/** A lifecycle package: metadata.json and code.tar.gz, in a gzipped tar. */
function writePackage(outDir: string, name: string, label: string, metadata: object, code: TarEntry[]): ChaincodePackage {
  const bytes = tarGz([
    { path: "metadata.json", content: Buffer.from(JSON.stringify({ ...metadata, label })) },
    { path: "code.tar.gz", content: tarGz(code) },
  ]);
  const file = join(outDir, name);
  writeFileSync(file, bytes);
  return { file, label, packageId: `${label}:${createHash("sha256").update(bytes).digest("hex")}` };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const packages = await packageChaincode({
    outDir: join(ROOT, "build", "chaincode"),
    ccaasAddress: process.env.CHAINCODE_ADDRESS ?? "tracegate-ccaas:9999",
  });
  console.log(`chaincode:       ${packages.chaincodeDir}`);
  for (const { file, packageId } of [packages.node, packages.ccaas]) console.log(`${file}\n  package ID: ${packageId}`);
}
