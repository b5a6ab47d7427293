/**
 * The chain journal on disk (product/chain/chain-journal.ts, persistent-network.ts): an acknowledged block
 * survives a SIGKILL right after its acknowledgement; a torn last line is reported, copied aside and
 * only then cut; damage anywhere else refuses the start, says where and what can be done, and leaves
 * every byte as it was; a start that fails (a port in use) changes nothing in the data directory.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { keccak256 } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChainDataError, JournalReader } from "../../product/chain/chain-journal.js";
import { ChainReplayError } from "../../product/chain/chain-replay.js";
import { openPersistentDemoNetwork } from "../../product/chain/persistent-network.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "tracegate-journal-"));
const base = join(root, "base");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const journalOf = (dataDir: string) => join(dataDir, "chain", "journal.ndjson");
const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Every file under `directory` with its mode and the hash of its bytes. */
function snapshot(directory: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(directory, { recursive: true }) as string[]) {
    const path = join(directory, name);
    const stat = statSync(path);
    files[name] = stat.isFile() ? `${(stat.mode & 0o777).toString(8)} ${sha256(path)}` : "directory";
  }
  return files;
}

let copies = 0;
function copyOfBase(): string {
  const copy = join(root, `copy-${++copies}`);
  cpSync(base, copy, { recursive: true });
  return copy;
}

/** A port something else listens on. */
async function busyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as { port: number }).port, server };
}

beforeAll(async () => {
  const network = await openPersistentDemoNetwork({ dataDir: base });
  for (let block = 0; block < 3; block++) await network.chain.provider.request({ method: "evm_mine" });
  await network.chain.stop();
});

describe("the chain journal on disk", () => {
  it("creates its journal owner-only", () => {
    expect(statSync(journalOf(base)).mode & 0o777).toBe(0o600);
  });

  it("keeps every acknowledged block when the node is killed (SIGKILL) right after acknowledging", async () => {
    const dataDir = copyOfBase();
    const child = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", "test/chain/journaled-child.ts", dataDir], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    const acknowledged: string[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      if (line === "ready") child.stdin.write("send 50\n");
      else if (line.startsWith("acknowledged ")) {
        acknowledged.push(line.slice("acknowledged ".length));
        if (acknowledged.length === 1) child.kill("SIGKILL");
      }
    }
    expect(await exited, stderr).toBe("SIGKILL");
    expect(acknowledged.length).toBeGreaterThan(0);
    const journaled = new Set([...JournalReader.open(journalOf(dataDir)).blocks()].flatMap((block) => block.txs.map((raw) => keccak256(raw))));
    expect(acknowledged.filter((hash) => !journaled.has(hash))).toEqual([]);
  });

  it("reports a torn last line, copies the journal aside owner-only, then cuts the line and goes on", async () => {
    const dataDir = copyOfBase();
    const path = journalOf(dataDir);
    chmodSync(path, 0o644); // as an older release left it
    const intact = readFileSync(path);
    const blocks = JournalReader.open(path).blockCount;
    appendFileSync(path, '{"number":"0x99","hash":"0x12');
    const damaged = readFileSync(path);
    const network = await openPersistentDemoNetwork({ dataDir });
    try {
      const { tornTail } = network.journal;
      expect(tornTail).toMatchObject({ line: blocks + 2, offset: intact.length, bytes: damaged.length - intact.length });
      expect(tornTail!.copy).toMatch(/journal\.ndjson\.damaged-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
      expect(readFileSync(tornTail!.copy).equals(damaged)).toBe(true);
      expect(statSync(tornTail!.copy).mode & 0o777).toBe(0o600);
      expect(readFileSync(path).equals(intact)).toBe(true);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(network.journal.blocks).toBe(blocks);
      await network.chain.provider.request({ method: "evm_mine" });
    } finally {
      await network.chain.stop();
    }
    const reader = JournalReader.open(path);
    expect([reader.blockCount, reader.tornBytes]).toEqual([blocks + 1, 0]);
    expect([...reader.blocks()].map((block) => block.number)).toEqual(Array.from({ length: blocks + 1 }, (_, index) => BigInt(index + 1)));
  });

  it("changes nothing when a start with a torn last line fails on a port in use", async () => {
    const dataDir = copyOfBase();
    appendFileSync(journalOf(dataDir), '{"number":"0x');
    const before = snapshot(dataDir);
    const { port, server } = await busyPort();
    try {
      await expect(openPersistentDemoNetwork({ dataDir, port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      server.close();
    }
    expect(snapshot(dataDir)).toEqual(before);
  });

  it("makes no chain when the first start fails on a port in use", async () => {
    const dataDir = join(root, "first-start");
    const { port, server } = await busyPort();
    try {
      await expect(openPersistentDemoNetwork({ dataDir, port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      server.close();
    }
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
  });

  it("refuses damage before the last line, saying where and what is intact, and leaves every byte as it was", async () => {
    const lines = readFileSync(journalOf(base), "utf8").split("\n"); // header, blocks, "" after the last newline
    const offsetOf = (line: number) => lines.slice(0, line - 1).reduce((bytes, text) => bytes + Buffer.byteLength(text) + 1, 0);
    const cases = [
      { name: "a block's hash", line: 3, edit: (text: string) => text.replace(/"hash":"0x[0-9a-f]{64}"/, `"hash":"0x${"cd".repeat(32)}"`) },
      { name: "a line that is not JSON", line: 3, edit: (text: string) => text.slice(0, 20) },
      { name: "the last complete line", line: lines.length - 1, edit: (text: string) => text.replace('"number"', '"numbre"') },
    ];
    for (const { name, line, edit } of cases) {
      const dataDir = copyOfBase();
      const path = journalOf(dataDir);
      const edited = [...lines];
      edited[line - 1] = edit(edited[line - 1]!);
      writeFileSync(path, edited.join("\n"));
      const before = snapshot(dataDir);
      const error = (await openPersistentDemoNetwork({ dataDir }).catch((e: unknown) => e)) as ChainDataError;
      expect(error, name).toBeInstanceOf(ChainDataError);
      if (error instanceof ChainReplayError) {
        expect(error.message).toContain(`block ${line - 1} has hash`);
      } else {
        const from = offsetOf(line);
        expect(error.message, name).toContain(`${path} is unreadable at line ${line} (bytes ${from} to ${from + Buffer.byteLength(edited[line - 1]!) + 1})`);
        expect(error.message, name).toContain(`Blocks 1 to ${line - 2} before it (bytes 0 to ${from}) are intact`);
        expect(error.message, name).toContain(`truncate -s ${from} ${path}`);
      }
      expect(error.message, name).toMatch(/Nothing was changed/);
      expect(snapshot(dataDir), name).toEqual(before);
    }
  });
});
