/** The CLI reads the settings README.md lists for it, and refuses a misspelt one before it acts on a default instead. */
import { describe, expect, it } from "vitest";
import { readSettings } from "../../sdk/cli/config.js";
import { EXIT, UsageError } from "../../sdk/cli/exit-codes.js";
import { main } from "../../sdk/cli/main.js";

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    env,
    cwd: "/",
    stdout: { write: (chunk) => out.push(String(chunk)) },
    stderr: { write: (chunk) => err.push(String(chunk)) },
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

const ADDRESSES = { TRACEGATE_REGISTRY: "0x5FbDB2315678afecb367f032d93F642f64180aa3", TRACEGATE_CUSTODY: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" };

describe("the CLI's settings", () => {
  it("finds the documents and keys in TRACEGATE_HOME, the data directory npm start uses, unless told otherwise", () => {
    expect(readSettings({}, { ...ADDRESSES, TRACEGATE_HOME: "/data/tg" }, "/srv", undefined)).toMatchObject({
      dataDir: "/data/tg/documents",
      keysDir: "/data/tg/keys",
    });
    expect(readSettings({}, ADDRESSES, "/srv", undefined)).toMatchObject({ dataDir: "/srv/.tracegate/documents", keysDir: "/srv/.tracegate/keys" });
    expect(readSettings({ "keys-dir": "k" }, { ...ADDRESSES, TRACEGATE_HOME: "/data/tg", TRACEGATE_DATA_DIR: "/docs" }, "/srv", undefined)).toMatchObject({
      dataDir: "/docs",
      keysDir: "/srv/k",
    });
  });

  it("takes several JSON-RPC URLs of one chain, comma-separated, as the indexer does", () => {
    expect(readSettings({}, ADDRESSES, "/srv", undefined)).toMatchObject({ rpcUrls: ["http://127.0.0.1:8545"] });
    expect(readSettings({ "rpc-url": "http://a:8545, http://b:8545" }, ADDRESSES, "/srv", undefined)).toMatchObject({
      rpcUrls: ["http://a:8545", "http://b:8545"],
    });
    expect(() => readSettings({}, { ...ADDRESSES, TRACEGATE_RPC_URL: "http://a:8545,b:8545" }, "/srv", undefined)).toThrow(
      'TRACEGATE_RPC_URL must be http(s) URLs such as http://127.0.0.1:8545, comma-separated; "b:8545" is not one',
    );
  });

  it("reports every bad setting at once, as the other commands do, naming the flag when a flag gave it", () => {
    const read = () =>
      readSettings(
        { confirmations: "0", registry: "0x5FbDB" },
        { ...ADDRESSES, TRACEGATE_RPC_URL: "localhost:8545", TRACEGATE_ROLE: "BOSS" },
        "/srv",
        undefined,
      );
    expect(read).toThrow(UsageError);
    expect(read).toThrow(
      /^TRACEGATE_RPC_URL must be an http\(s\) URL such as http:\/\/127\.0\.0\.1:8545, not "localhost:8545"\n--registry must be a 0x-prefixed 20-byte address, not "0x5FbDB"\n--confirmations must be a whole number of at least 1, not "0"\nTRACEGATE_ROLE must be one of .*, not "BOSS"$/,
    );
  });

  it("refuses a misspelt TRACEGATE_ variable with exit 2, naming the setting it meant, before reaching any ledger", async () => {
    // The RPC URL is a port nothing listens on: reaching it would be exit 3, not 2.
    const env = {
      TRACEGATE_RPC_URL: "http://127.0.0.1:1",
      TRACEGATE_REGISTRY: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      TRACEGATE_CUSTODY: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    };
    expect(await run(["lot", "LOT-1"], { ...env, TRACEGATE_CONFIRMATOINS: "3" })).toEqual({
      code: EXIT.USAGE,
      stdout: "",
      stderr: expect.stringMatching(
        /^tracegate: TRACEGATE_CONFIRMATOINS is not a TraceGate setting: did you mean TRACEGATE_CONFIRMATIONS\? \(README.md lists them all\); unset it\n/,
      ),
    });
    // The commands that go through a node too, before looking for one.
    expect(await run(["act", "hold", "--lot", "LOT-1", "--reason", "x"], { TRACEGATE_API_TOKNE: "t" })).toEqual({
      code: EXIT.USAGE,
      stdout: "",
      stderr: expect.stringMatching(/^tracegate: TRACEGATE_API_TOKNE is not a TraceGate setting: did you mean TRACEGATE_API_TOKEN\?/),
    });
  });
});
