/**
 * `npm run chaincode:package`: both lifecycle packages are standard gzipped tars (read back with the
 * system's tar), reproducible, and the bundled chaincode runs, in this process's fabric-shim and as
 * a chaincode server started by its start script and dialled over gRPC.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeOptional, organisationShape } from "../../chaincode/src/codec.js";
import { packageChaincode, type Packages } from "../../scripts/chaincode/package.js";
import { FabricNetwork } from "../../scripts/harness/fabric/network.js";
import { freePort } from "../../scripts/harness/free-port.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const admin = { org: "VNCUSTOMS", role: "ADMIN" } as const;

function untar(archive: string, member?: string): Buffer {
  return execFileSync("tar", ["-xzOf", archive, ...(member === undefined ? [] : [member])]);
}

function list(archive: Buffer | string): string[] {
  const input = typeof archive === "string" ? readFileSync(archive) : archive;
  return execFileSync("tar", ["-tz"], { input }).toString().trim().split("\n").sort();
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => resolve(true)).once("error", () => resolve(false));
    socket.once("connect", () => socket.destroy());
  });
}

async function listening(port: number, deadline = Date.now() + 20_000): Promise<void> {
  while (!(await accepts(port))) {
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Registers customs and reads it back: the chaincode answers. */
async function initialiseAndRead(network: FabricNetwork): Promise<unknown> {
  await network.client.submit(network.identityOf(admin), "InitLedger", ["VNCUSTOMS"]);
  return decodeOptional(organisationShape, await network.client.evaluate(network.identityOf(admin), "ReadOrganisation", ["VNCUSTOMS"]));
}

describe("chaincode packaging", () => {
  let outDir: string;
  let port: number;
  let packages: Packages;

  beforeAll(async () => {
    mkdirSync(join(ROOT, "build"), { recursive: true });
    outDir = mkdtempSync(join(ROOT, "build", "test-chaincode-"));
    port = await freePort();
    packages = await packageChaincode({ outDir, ccaasAddress: `127.0.0.1:${port}` });
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("writes a standard Node package: metadata.json and code.tar.gz with the chaincode under src/", () => {
    const { file, label, packageId } = packages.node;
    expect(list(file)).toEqual(["code.tar.gz", "metadata.json"]);
    expect(JSON.parse(untar(file, "metadata.json").toString())).toEqual({ path: "tracegate", type: "node", label });
    expect(list(untar(file, "code.tar.gz"))).toEqual(["src/dist/index.js", "src/package.json"]);
    expect(packageId).toBe(`${label}:${createHash("sha256").update(readFileSync(file)).digest("hex")}`);
  });

  it("writes a chaincode-as-a-service package whose connection.json names the server", () => {
    const { file, label } = packages.ccaas;
    expect(JSON.parse(untar(file, "metadata.json").toString())).toEqual({ type: "ccaas", label });
    const connection = execFileSync("tar", ["-xzO", "connection.json"], { input: untar(file, "code.tar.gz") });
    expect(JSON.parse(connection.toString())).toEqual({ address: `127.0.0.1:${port}`, dial_timeout: "10s", tls_required: false });
  });

  it("is reproducible: the same sources give the same package IDs", async () => {
    const again = await packageChaincode({ outDir: mkdtempSync(join(outDir, "again-")), ccaasAddress: `127.0.0.1:${port}` });
    expect([again.node.packageId, again.ccaas.packageId]).toEqual([packages.node.packageId, packages.ccaas.packageId]);
  });

  it("bundles a chaincode that fabric-shim runs", async () => {
    const { contracts } = createRequire(import.meta.url)(join(packages.chaincodeDir, "dist", "index.js")) as { contracts: unknown[] };
    const network = await FabricNetwork.start(contracts);
    expect(await initialiseAndRead(network)).toEqual({ id: "VNCUSTOMS", kind: "CUSTOMS" });
  });

  describe("as a service", () => {
    let server: ChildProcess;
    afterAll(() => {
      server?.kill();
    });

    it("answers the peer that dials it, started by its start script", async () => {
      server = spawn(join(packages.chaincodeDir, "start-server.sh"), [], {
        env: {
          ...process.env,
          PATH: `${join(ROOT, "node_modules", ".bin")}:${process.env.PATH}`,
          CHAINCODE_SERVER_ADDRESS: `127.0.0.1:${port}`,
          CHAINCODE_ID: packages.ccaas.packageId,
        },
        stdio: "ignore",
      });
      await listening(port);
      const network = await FabricNetwork.start({ address: `127.0.0.1:${port}` });
      try {
        expect(await initialiseAndRead(network)).toEqual({ id: "VNCUSTOMS", kind: "CUSTOMS" });
      } finally {
        network.peer.stop();
      }
    });
  });
});
