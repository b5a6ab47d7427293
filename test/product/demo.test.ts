/**
 * `npm run demo` against `npm start`, both as a user runs them: a demo killed part-way is resumed by the
 * next run (no stack trace, no block dated after now, every anomaly found), the chain's clock reaches
 * the wall clock once it is done, a later run shows the loaded year again, and another seed is refused
 * with what to do instead. The loaded e-seal tracks are registered on the node: a lot's trip shows its
 * positions to customs and the lot's owner, and the lot page draws it (Chromium).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { developmentIssuer } from "../../product/anomaly-queries.js";
import { launchChromium, openSignedIn } from "../api/chromium.js";
import { findRunningProduct } from "../../product/running-file.js";
import { CUSTOMS } from "../../seeds/registry.js";

const EVENTS = "800";
let home: string;
let product: ChildProcess;
let rpcUrl: string;
/** The end of what `npm start` printed: why it stopped, should it stop during a test. */
let productOutput = "";

function run(script: string, args: string[] = []): ChildProcess {
  return spawn(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", script, ...args], {
    env: { PATH: process.env.PATH, TRACEGATE_HOME: home, TRACEGATE_PORT: "0", TRACEGATE_METRICS_PORT: "0", TRACEGATE_RPC_PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs the demo to its end, or kills it once `until` matches its progress. */
interface DemoRun {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

function demo(args: string[], until?: RegExp): Promise<DemoRun> {
  const child = run("product/demo.ts", args);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (until?.test(stderr) === true) child.kill("SIGKILL");
  });
  return new Promise<DemoRun>((resolve) => child.on("exit", (code, signal) => resolve({ code: code ?? signal, stdout, stderr }))).then((result) => {
    // A demo that fails because the product stopped says so, with the product's last words.
    expect({ exitCode: product.exitCode, signal: product.signalCode }, `npm start stopped:\n${productOutput}`).toEqual({ exitCode: null, signal: null });
    return result;
  });
}

async function head(): Promise<{ number: bigint; time: bigint }> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: ["latest", false] }),
  });
  const { result } = (await response.json()) as { result: { number: string; timestamp: string } };
  return { number: BigInt(result.number), time: BigInt(result.timestamp) };
}

const nowSeconds = () => BigInt(Math.floor(Date.now() / 1000));

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "tracegate-demo-"));
  product = run("product/start.ts");
  for (const stream of [product.stdout!, product.stderr!])
    stream.on("data", (chunk: Buffer) => (productOutput = (productOutput + chunk.toString()).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    product.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("TraceGate is running") && resolve());
    product.on("exit", (code) => reject(new Error(`npm start exited ${code}`)));
  });
  rpcUrl = (JSON.parse(await readFile(join(home, "running.json"), "utf8")) as { chain: { rpcUrl: string } }).chain.rpcUrl;
}, 120_000);
afterAll(async () => {
  if (product.exitCode === null) {
    product.kill("SIGINT");
    await new Promise((resolve) => product.on("exit", resolve));
  }
  await rm(home, { recursive: true, force: true });
});

describe("npm run demo", () => {
  it("resumes a demo killed part-way, dates nothing after now, and brings the clock to now", async () => {
    const killed = await demo(["--events", EVENTS], /loading: [1-9][\d,]*\/800/);
    expect(killed.code).toBe("SIGKILL");
    const stopped = await head();
    expect(stopped.time).toBeLessThan(nowSeconds() - 30n * 86_400n);

    const resumed = await demo([]);
    expect(resumed.stderr).toMatch(/^resuming the load of \d+ events of .* \(seed 1\), stopped at /m);
    expect(resumed.stderr).toMatch(/were on the chain already\); [1-9]\d* e-seal tracks stored and anchored \(SEAL_TRACK\)\n/);
    expect(resumed.stderr).toMatch(/^registered ([1-9]\d*) of \1 e-seal tracks on the node: the lots' trips show them$/m);
    expect(resumed.stderr).not.toMatch(/\n\s+at /);
    expect(resumed.stdout).toContain("8 of 8 planted anomalies found");
    expect(resumed.stdout).toMatch(/Scan to verify the certificate of origin .+ \(no sign-in needed\): http:\/\/.+\/verify\.html\?hash=0x[0-9a-f]{64}\n/);
    expect((await readdir(join(home, "codes"))).filter((name) => name.endsWith(".qr.png"))).toHaveLength(2);
    expect(resumed.code).toBe(0);
    const after = await head();
    expect(after.time).toBeLessThanOrEqual(nowSeconds());
    expect(after.time).toBeGreaterThan(nowSeconds() - 120n);
  }, 300_000);

  it("shows a registered track on its lot's trip to customs and the owner", async () => {
    const index = new DatabaseSync(join(home, "index.sqlite"), { readOnly: true });
    const row = index
      .prepare("SELECT l.id, l.owner, s.seal, s.count FROM seal_segment_lots sl JOIN lots l ON l.id = sl.lot JOIN seal_segments s ON s.root = sl.root LIMIT 1")
      .get() as { id: string; owner: string; seal: string; count: number };
    index.close();
    const { apiUrl } = await findRunningProduct(home);
    const issuer = await developmentIssuer(join(home, "api-dev-key.json"));
    for (const token of [await issuer.mint(CUSTOMS, "AUDITOR"), await issuer.mint(row.owner, "OPERATOR")]) {
      const response = await fetch(`${apiUrl}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-graphql-yoga-csrf": "1" },
        body: JSON.stringify({ query: "query ($id: String!) { lot(id: $id) { trips { track { latitude longitude } } } }", variables: { id: row.id } }),
      });
      const { data } = (await response.json()) as { data: { lot: { trips: Array<{ track: unknown[] | null }> } } };
      const positions = data.lot.trips.flatMap((trip) => trip.track ?? []);
      expect(positions.length).toBeGreaterThanOrEqual(Number(row.count));
    }
    // The lot page's trip panel draws it.
    const browser = await launchChromium();
    const problems: string[] = [];
    try {
      const page = await openSignedIn(browser, apiUrl, await issuer.mint(CUSTOMS, "AUDITOR"), `/lot.html?id=${encodeURIComponent(row.id)}`, problems);
      await page.waitForSelector(`section.trip[data-seal="${row.seal}"] svg polyline.route`);
    } finally {
      await browser.close();
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it("shows the loaded year again, and refuses another seed saying what to do", async () => {
    const before = await head();
    const again = await demo([]);
    expect(again.stderr).toMatch(/is on this chain already: showing its anomalies again/);
    expect([again.code, again.stdout]).toEqual([0, expect.stringContaining("8 of 8 planted anomalies found")]);
    const other = await demo(["--seed", "2"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^npm run demo: This chain holds the demo year of seed 1 and 800 events .*move .* aside and start it again\.\n$/);
    expect((await head()).time).toBeLessThanOrEqual(nowSeconds());
    expect((await head()).number).toBeGreaterThanOrEqual(before.number);
  }, 300_000);

  it("keeps what it stores (documents, keys, its record) for the owner only", async () => {
    const open: string[] = [];
    const walk = async (directory: string): Promise<void> => {
      for (const entry of await readdir(directory, { withFileTypes: true })) {
        const path = join(directory, entry.name);
        const mode = (await stat(path)).mode & 0o777;
        if (mode !== (entry.isDirectory() ? 0o700 : 0o600)) open.push(`${path} ${mode.toString(8)}`);
        if (entry.isDirectory()) await walk(path);
      }
    };
    await walk(home);
    expect((await readdir(join(home, "documents"), { recursive: true })).length).toBeGreaterThan(10);
    expect(open).toEqual([]);
  });
});
