import { describe, expect, it } from "vitest";
import { DEFAULT_FINDING_SETTINGS } from "../../indexer/findings/settings.js";
import { ConfigurationError, readProductSettings } from "../../product/settings.js";

const problemsOf = (env: NodeJS.ProcessEnv): readonly string[] => {
  try {
    readProductSettings(env, "/srv");
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error("the settings were accepted");
};

describe("product settings", () => {
  it("defaults to the embedded ledger, store and development tokens under .tracegate", () => {
    expect(readProductSettings({}, "/srv")).toEqual({
      home: "/srv/.tracegate",
      host: "127.0.0.1",
      apiPort: 4000,
      publicLotPart: "none",
      track: { segmentReports: 120, segmentSeconds: 3_600n },
      metricsPort: 9464,
      ledger: { kind: "embedded", rpcPort: 8545, rpcHost: "127.0.0.1" },
      indexStore: "/srv/.tracegate/index.sqlite",
      ledgerCache: "/srv/.tracegate/ledger-cache.sqlite",
      documents: { kind: "embedded", directory: "/srv/.tracegate/documents" },
      tokens: { kind: "development", keyFile: "/srv/.tracegate/api-dev-key.json" },
      findings: DEFAULT_FINDING_SETTINGS,
      documentKeys: { directory: "/srv/.tracegate/keys", orgs: "all" },
    });
  });

  it("tells a lot's scanner what TRACEGATE_RESOLVER_PUBLIC allows, and refuses a value it does not know", () => {
    expect(readProductSettings({ TRACEGATE_RESOLVER_PUBLIC: "exists" }, "/srv").publicLotPart).toBe("exists");
    expect(problemsOf({ TRACEGATE_RESOLVER_PUBLIC: "all" })).toEqual(['TRACEGATE_RESOLVER_PUBLIC must be none, exists, state, not "all"']);
  });

  it("decrypts documents for every key in the data directory, none, or the organisations TRACEGATE_DECRYPT_FOR lists", () => {
    expect(readProductSettings({ TRACEGATE_DECRYPT_FOR: "CUSTOMS, ENT-1" }, "/srv").documentKeys.orgs).toEqual(["CUSTOMS", "ENT-1"]);
    expect(readProductSettings({ TRACEGATE_DECRYPT_FOR: "none" }, "/srv").documentKeys.orgs).toEqual([]);
    expect(readProductSettings({ TRACEGATE_DECRYPT_FOR: "all", TRACEGATE_HOME: "/data" }, "/srv").documentKeys).toEqual({
      directory: "/data/keys",
      orgs: "all",
    });
    for (const value of ["CUSTOMS,,ENT-1", "ENT 1", "CUSTOMS,A-NAME-LONGER-THAN-THIRTY-ONE-CHARS"]) {
      expect(problemsOf({ TRACEGATE_DECRYPT_FOR: value })).toEqual([
        `TRACEGATE_DECRYPT_FOR must be all, none or organisation ids separated by commas (e.g. CUSTOMS,ENT-1), not "${value}"`,
      ]);
    }
  });

  it("takes the findings' thresholds from TRACEGATE_FINDINGS_*, and reports a bad one with the others", () => {
    expect(readProductSettings({ TRACEGATE_FINDINGS_MIN_STAYS: "40" }, "/srv").findings).toEqual({ ...DEFAULT_FINDING_SETTINGS, minStays: 40 });
    expect(problemsOf({ TRACEGATE_FINDINGS_LONG_STAY_FACTOR: "many", TRACEGATE_PORT: "x" })).toEqual([
      'TRACEGATE_PORT must be a port number 0-65535, not "x"',
      'TRACEGATE_FINDINGS_LONG_STAY_FACTOR must be a whole number of at least 1, not "many"',
    ]);
  });

  it("switches each part to its scale-out engine", () => {
    const settings = readProductSettings(
      {
        TRACEGATE_HOME: "/data/tg",
        TRACEGATE_LEDGER: "evm",
        TRACEGATE_RPC_URL: "http://10.0.0.5:8545",
        TRACEGATE_REGISTRY: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        TRACEGATE_CUSTODY: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
        TRACEGATE_FINALITY: "3",
        TRACEGATE_INDEX_STORE: "postgres://tg@db/tracegate",
        TRACEGATE_IPFS_API: "http://127.0.0.1:5001",
        TRACEGATE_JWKS: "keys/idp.json",
        TRACEGATE_JWT_ISSUER: "https://idp.customs.gov.vn",
      },
      "/srv",
    );
    expect(settings.ledger).toEqual({
      kind: "external",
      source: {
        ledger: "evm",
        rpc: ["http://10.0.0.5:8545"],
        registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        custody: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
      },
      finality: 3,
    });
    expect(settings.indexStore).toBe("postgres://tg@db/tracegate");
    expect(settings.documents).toEqual({ kind: "kubo", url: "http://127.0.0.1:5001" });
    expect(settings.tokens).toEqual({ kind: "trusted-keys", jwksFile: "/srv/keys/idp.json", issuer: "https://idp.customs.gov.vn", audience: "tracegate-api" });
  });

  it("reports every problem at once, naming the variable to fix", () => {
    expect(
      problemsOf({
        TRACEGATE_PORT: "http",
        TRACEGATE_METRICS_PORT: "70000",
        TRACEGATE_LEDGER: "fabric",
        TRACEGATE_FABRIC_GATEWAY: "peer0.customs.example:7051",
        TRACEGATE_FINALITY: "-1",
        TRACEGATE_INDEX_STORE: "mysql://db/tg",
        TRACEGATE_IPFS_API: "localhost:5001",
        TRACEGATE_JWKS: "idp.json",
      }),
    ).toEqual([
      'TRACEGATE_PORT must be a port number 0-65535, not "http"',
      expect.stringMatching(/^TRACEGATE_JWT_ISSUER is not set/),
      'TRACEGATE_INDEX_STORE must be a file path or a postgres:// URL, not "mysql://db/tg"',
      'TRACEGATE_METRICS_PORT must be a port number 0-65535, not "70000"',
      'TRACEGATE_FINALITY must be a whole number of blocks, not "-1"',
      expect.stringMatching(/^the fabric source needs --fabric-msp-id \(TRACEGATE_FABRIC_MSP_ID\), .*TRACEGATE_FABRIC_CHANNEL/),
      'TRACEGATE_IPFS_API must be an http(s) URL such as http://127.0.0.1:5001, not "localhost:5001"',
    ]);
    expect(problemsOf({ TRACEGATE_LEDGER: "bitcoin" })).toEqual(['TRACEGATE_LEDGER must be embedded, evm or fabric, not "bitcoin"']);
  });

  it("refuses a finality that is not a whole number of blocks, on every ledger, naming the variable", () => {
    const evm = {
      TRACEGATE_LEDGER: "evm",
      TRACEGATE_REGISTRY: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      TRACEGATE_CUSTODY: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    };
    for (const finality of ["abc", "-1", "1.5", "1e3", "99999999999999999999"]) {
      expect(problemsOf({ ...evm, TRACEGATE_FINALITY: finality })).toEqual([`TRACEGATE_FINALITY must be a whole number of blocks, not "${finality}"`]);
      expect(problemsOf({ TRACEGATE_FINALITY: finality })).toEqual([`TRACEGATE_FINALITY must be a whole number of blocks, not "${finality}"`]);
    }
    // The embedded chain never reorganises: a finality for it is a mistake, not something to ignore.
    expect(problemsOf({ TRACEGATE_FINALITY: "3" })).toEqual([
      expect.stringMatching(/^TRACEGATE_FINALITY applies to an external ledger \(TRACEGATE_LEDGER=evm or fabric\)/),
    ]);
    expect(readProductSettings({ ...evm, TRACEGATE_FINALITY: "0" }, "/srv").ledger).toMatchObject({ finality: 0 });
  });

  it("puts the variables' help under the problems", () => {
    expect(() => readProductSettings({ TRACEGATE_RPC_PORT: "x" }, "/srv")).toThrow(
      /TRACEGATE_RPC_PORT must be a port number[\s\S]*Configuration \(environment variables\)/,
    );
  });
});
