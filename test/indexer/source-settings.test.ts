/** The indexer's ledger settings: what is missing or wrong is refused before connecting, naming the flag and variable. */
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSource } from "../../indexer/sources/from-settings.js";
import { readSourceSettings, SourceSettingsError, type FabricSourceSettings } from "../../indexer/sources/settings.js";
import { memberIdentity } from "../../scripts/harness/fabric/identities.js";
import { startIndexer } from "./indexer-process.js";

const fabricEnv = {
  TRACEGATE_LEDGER: "fabric",
  TRACEGATE_FABRIC_GATEWAY: "127.0.0.1:7051",
  TRACEGATE_FABRIC_PLAINTEXT: "true",
  TRACEGATE_FABRIC_MSP_ID: "Org1MSP",
  TRACEGATE_FABRIC_CERT: "cert.pem",
  TRACEGATE_FABRIC_KEY: "key.pem",
  TRACEGATE_FABRIC_CHANNEL: "mychannel",
};

const refusal = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(SourceSettingsError);
    return (error as Error).message;
  }
  throw new Error("the settings were accepted");
};

describe("ledger source settings", () => {
  it("reads the EVM settings as before: flags win over the environment, the RPC endpoint has a default", () => {
    const [flagged, registry, custody] = [
      "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
      "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    ];
    expect(readSourceSettings({ registry: flagged }, { TRACEGATE_REGISTRY: registry, TRACEGATE_CUSTODY: custody })).toEqual({
      ledger: "evm",
      rpc: ["http://127.0.0.1:8545"],
      registry: flagged,
      custody,
    });
    expect(refusal(() => readSourceSettings({}, {}))).toBe("the evm source needs --registry (TRACEGATE_REGISTRY), --custody (TRACEGATE_CUSTODY)");
    expect(refusal(() => readSourceSettings({ ledger: "besu" }, {}))).toBe("--ledger (TRACEGATE_LEDGER) is evm or fabric, not besu");
    // Checked as the CLI checks the same variables: a malformed one is named, not met later as a crash.
    const evm = { TRACEGATE_REGISTRY: "0x5FbDB2315678afecb367f032d93F642f64180aa3", TRACEGATE_CUSTODY: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" };
    expect(refusal(() => readSourceSettings({}, { ...evm, TRACEGATE_RPC_URL: "localhost:8545" }))).toBe(
      '--rpc (TRACEGATE_RPC_URL) must be an http(s) URL such as http://127.0.0.1:8545, not "localhost:8545"',
    );
    expect(refusal(() => readSourceSettings({ custody: "0xe7f1725E" }, evm))).toBe(
      '--custody (TRACEGATE_CUSTODY) must be a 0x-prefixed 20-byte address, not "0xe7f1725E"',
    );
    // Read by the command's settings reader, as the CLI reads them: a value is trimmed, blank is unset.
    expect(readSourceSettings({}, { ...evm, TRACEGATE_REGISTRY: ` ${evm.TRACEGATE_REGISTRY}\n`, TRACEGATE_RPC_URL: " " }, "start")).toMatchObject({
      registry: evm.TRACEGATE_REGISTRY,
      rpc: ["http://127.0.0.1:8545"],
    });
  });

  it("reads the Fabric settings, naming every missing one and refusing contradictory TLS settings", () => {
    expect(readSourceSettings({}, fabricEnv)).toEqual({
      ledger: "fabric",
      gateway: "127.0.0.1:7051",
      tls: "plaintext",
      mspId: "Org1MSP",
      certPath: "cert.pem",
      keyPath: "key.pem",
      channel: "mychannel",
      chaincode: "tracegate",
    });
    expect(
      readSourceSettings({ "fabric-tls-ca": "ca.pem", "fabric-tls-server-name": "peer0.org1.example.com" }, { ...fabricEnv, TRACEGATE_FABRIC_PLAINTEXT: "" }),
    ).toMatchObject({
      tls: { caCertPath: "ca.pem", serverName: "peer0.org1.example.com" },
    });
    expect(refusal(() => readSourceSettings({ ledger: "fabric", "fabric-channel": "c" }, {}))).toBe(
      "the fabric source needs --fabric-gateway (TRACEGATE_FABRIC_GATEWAY), --fabric-msp-id (TRACEGATE_FABRIC_MSP_ID), --fabric-cert (TRACEGATE_FABRIC_CERT), --fabric-key (TRACEGATE_FABRIC_KEY)",
    );
    expect(refusal(() => readSourceSettings({}, { ...fabricEnv, TRACEGATE_FABRIC_PLAINTEXT: undefined }))).toMatch(
      /^the fabric source needs --fabric-tls-ca \(TRACEGATE_FABRIC_TLS_CA\), the peer's TLS CA certificate, or --fabric-plaintext/,
    );
    expect(refusal(() => readSourceSettings({ "fabric-tls-ca": "ca.pem" }, fabricEnv))).toMatch(
      /^--fabric-plaintext \(TRACEGATE_FABRIC_PLAINTEXT\) turns TLS off/,
    );
    expect(refusal(() => readSourceSettings({}, { ...fabricEnv, TRACEGATE_FABRIC_PLAINTEXT: "yes" }))).toBe(
      "--fabric-plaintext (TRACEGATE_FABRIC_PLAINTEXT) is true or false, not yes",
    );
  });

  it("stops the indexer command with exit code 2 and the message", async () => {
    const run = startIndexer([
      "--ledger",
      "fabric",
      "--fabric-gateway",
      "127.0.0.1:1",
      "--fabric-plaintext",
      "--fabric-msp-id",
      "Org1MSP",
      "--fabric-cert",
      "c.pem",
      "--fabric-key",
      "k.pem",
    ]);
    expect((await run.exited).code).toBe(2);
    expect(run.log()).toBe("the fabric source needs --fabric-channel (TRACEGATE_FABRIC_CHANNEL)\n");
  });

  describe("opening a Fabric source", () => {
    let directory: string;
    let settings: FabricSourceSettings;
    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), "tracegate-source-settings-"));
      const reader = memberIdentity("Org1MSP", "auditor.org1", { role: "AUDITOR" });
      const other = memberIdentity("Org1MSP", "other.org1", { role: "AUDITOR" });
      await writeFile(join(directory, "cert.pem"), reader.certificate);
      await writeFile(join(directory, "key.pem"), reader.privateKey.export({ type: "pkcs8", format: "pem" }));
      await writeFile(join(directory, "other-key.pem"), other.privateKey.export({ type: "pkcs8", format: "pem" }));
      await writeFile(join(directory, "not-pem.txt"), "not a PEM file");
      await writeFile(join(directory, "ed25519.pem"), generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }));
      settings = readSourceSettings(
        { "fabric-cert": join(directory, "cert.pem"), "fabric-key": join(directory, "key.pem") },
        fabricEnv,
      ) as FabricSourceSettings;
    });
    afterAll(() => rm(directory, { recursive: true, force: true }));

    it("connects lazily, as a source named after the channel and chaincode, final at once", async () => {
      const opened = await openSource(settings);
      expect(opened.source.id).toBe("fabric:mychannel:tracegate");
      expect(opened.defaultFinality).toBe(0);
      opened.close();
    });

    it("names the setting whose file is missing, is not what it should be, or does not match the certificate", async () => {
      await expect(openSource({ ...settings, certPath: join(directory, "missing.pem") })).rejects.toThrow(
        /^--fabric-cert \(TRACEGATE_FABRIC_CERT\): cannot read .*missing\.pem \(ENOENT\)$/,
      );
      await expect(openSource({ ...settings, certPath: join(directory, "not-pem.txt") })).rejects.toThrow(
        /^--fabric-cert \(TRACEGATE_FABRIC_CERT\): .*not-pem\.txt is not a PEM X\.509 certificate/,
      );
      await expect(openSource({ ...settings, keyPath: join(directory, "not-pem.txt") })).rejects.toThrow(
        /^--fabric-key \(TRACEGATE_FABRIC_KEY\): .*not-pem\.txt is not a PEM private key/,
      );
      await expect(openSource({ ...settings, keyPath: join(directory, "ed25519.pem") })).rejects.toThrow(
        /ed25519\.pem is a ed25519 key, not an ECDSA P-256 one$/,
      );
      await expect(openSource({ ...settings, keyPath: join(directory, "other-key.pem") })).rejects.toThrow(
        /other-key\.pem is not the private key of --fabric-cert/,
      );
      await expect(openSource({ ...settings, tls: { caCertPath: join(directory, "missing-ca.pem") } })).rejects.toThrow(
        /^--fabric-tls-ca \(TRACEGATE_FABRIC_TLS_CA\): cannot read/,
      );
    });
  });
});
