/** TRACEGATE_MEMBER_KEYS: a refused keys file names the member and the field that is wrong, before anything connects. */
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LedgerConfigurationError } from "../../sdk/ledger.js";
import type { FollowedLedger } from "../../product/ledger.js";
import type { LedgerSettings } from "../../product/settings.js";
import { openWriter } from "../../product/writer.js";

const KEY = `0x${"1".repeat(64)}`;

describe("the member keys file", () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "tracegate-member-keys-"));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  /** The refusal of a keys file holding `entries` for `ledger` (nothing listens at its endpoint). */
  async function refusal(entries: unknown, ledger: "evm" | "fabric" = "evm"): Promise<unknown> {
    const path = join(directory, `keys-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(path, typeof entries === "string" ? entries : JSON.stringify(entries));
    await chmod(path, 0o600);
    const source =
      ledger === "evm"
        ? { ledger, rpc: "http://127.0.0.1:9", registry: KEY.slice(0, 42), custody: KEY.slice(0, 42) }
        : { ledger, gateway: "127.0.0.1:9", tls: "plaintext" };
    const settings = { kind: "external", finality: undefined, memberKeys: path, source } as unknown as LedgerSettings;
    return openWriter(settings, {} as FollowedLedger).then(
      () => "opened",
      (error: unknown) => error,
    );
  }

  it.each([
    ["not JSON", "[{", /expected JSON/],
    ["not a list", { org: "VNCUSTOMS" }, /\(top\): expected an array/],
    [
      "a role that is none",
      [
        { org: "VNCUSTOMS", role: "OFFICER", privateKey: KEY },
        { org: "VNCUSTOMS", role: "BOSS", privateKey: KEY },
      ],
      /\[1\]\.role: expected one of/,
    ],
    ["a short key", [{ org: "VNCUSTOMS", role: "OFFICER", privateKey: "0x12" }], /\[0\]\.privateKey: expected 0x and 64 hex digits/],
    ["a misspelt key", [{ org: "VNCUSTOMS", role: "OFFICER", privatekey: KEY }], /\[0\]: unknown key "privatekey"/],
  ])("refuses %s, saying where, as a LedgerConfigurationError", async (_what, entries, where) => {
    const error = await refusal(entries);
    expect(error).toBeInstanceOf(LedgerConfigurationError);
    expect((error as Error).message).toMatch(/^TRACEGATE_MEMBER_KEYS: .*keys-\w+\.json: /);
    expect((error as Error).message).toMatch(where);
  });

  it("wants a Fabric member's identity files, not an EVM key", async () => {
    const error = await refusal([{ org: "VNCUSTOMS", role: "OFFICER", privateKey: KEY }], "fabric");
    expect(error).toBeInstanceOf(LedgerConfigurationError);
    expect((error as Error).message).toMatch(/\[0\]: unknown key "privateKey"/);
  });
});
