/**
 * `tracegate capture FILE.jsonld` run as a user runs it, against a product on its embedded defaults:
 * exit codes, per-event results, rollback and --proceed checked on the ledger, bad files refused before
 * anything is sent, the settings it needs, and Ctrl-C leaving the job running on the node.
 */
import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { epcis } from "../capture/capture-product.js";
import { startNodeCli, startRecorder, type NodeCli } from "./node-cli.js";
import { nestedText } from "../support/deep-json.js";

let cli: NodeCli;
let enterprise: NodeJS.ProcessEnv;
let customs: NodeJS.ProcessEnv;
let lots = 0;
const newLot = () => `CLI-CAP-${process.pid}-${(lots += 1)}`;

beforeAll(async () => {
  cli = await startNodeCli();
  enterprise = await cli.as("AN-PHAT", "OPERATOR");
  customs = await cli.as("VNCUSTOMS", "OFFICER");
}, 120_000);
afterAll(() => cli?.close());

const lotState = async (lot: string) => (await cli.node.ledger.lot(lot))?.state;

async function document(name: string, events: unknown[]): Promise<string> {
  await writeFile(join(cli.work, name), JSON.stringify(epcis.document(events)));
  return name;
}

/** Lots declared by AN-PHAT straight on the ledger, ready to arrive. */
async function declared(count: number): Promise<string[]> {
  const made = Array.from({ length: count }, newLot);
  for (const lot of made) await cli.declare(lot);
  return made;
}

describe("tracegate capture", () => {
  it("captures a document through the TraceGate running on TRACEGATE_HOME (exit 0, counts); sent again, every event is a duplicate", async () => {
    const made = [newLot(), newLot(), newLot()];
    const events = [];
    for (const lot of made) events.push(epcis.declare(lot, 1000n, await cli.node.declaration(lot), `urn:uuid:cli-${lot}`));
    const file = await document("declarations.jsonld", events);
    // No TRACEGATE_API_URL: the node is found in its home's running.json.
    const local = { TRACEGATE_HOME: cli.node.home, TRACEGATE_API_TOKEN: enterprise.TRACEGATE_API_TOKEN };
    const first = await cli.run(["capture", file], local);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^declarations.jsonld: 3 accepted, 0 duplicate, 0 refused, 0 not applied \(capture job [0-9a-f-]{36}, rollback\)\ndone\n$/);
    expect(first.stderr).toMatch(/capture job [0-9a-f-]{36} taken \(3 events, rollback\); its status: http:\/\/127\.0\.0\.1:\d+\/epcis\/capture\//);
    for (const lot of made) expect(await lotState(lot)).toBe("DECLARED");

    // The same document as an editor may save it, with a byte order mark.
    await writeFile(join(cli.work, "declarations-bom.jsonld"), `\uFEFF${JSON.stringify(epcis.document(events))}`);
    const again = await cli.run(["capture", "declarations-bom.jsonld", "--json"], enterprise);
    expect(again.code, again.stderr).toBe(0);
    const status = JSON.parse(again.stdout);
    expect(status).toMatchObject({ success: true, running: false, counts: { duplicate: 3 } });
    expect(status.events.map((event: { eventID: string }) => event.eventID)).toEqual(made.map((lot) => `urn:uuid:cli-${lot}`));
  });

  it("rollback (the default): one refused event exits 4, names the event, and applies nothing", async () => {
    const [a, b] = await declared(2);
    const file = await document("rollback.jsonld", [
      epcis.at("arriving", a!, "VNSGN-CATLAI"),
      epcis.at("arriving", b!, "VNSGN-CATLAI"),
      epcis.hold(a!, "inspection"),
      { ...epcis.at("arriving", a!, "VNSGN-CATLAI"), eventID: "urn:uuid:arrives-twice", eventTime: "2026-12-01T11:00:00.000+07:00" },
    ]);
    const result = await cli.run(["capture", file], customs);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stdout).toMatch(/^refused event 3 \(urn:uuid:arrives-twice\): ILLEGAL_TRANSITION: .+\n/);
    expect(result.stdout).toContain("rollback.jsonld: 0 accepted, 0 duplicate, 1 refused, 3 not applied");
    expect(result.stdout).toContain("rolled back: nothing of this document was applied");
    expect(await lotState(a!)).toBe("DECLARED");
    expect(await lotState(b!)).toBe("DECLARED");
  });

  it("--proceed applies the events that are not refused, and still exits 4", async () => {
    const [a, b] = await declared(2);
    const file = await document("proceed.jsonld", [
      epcis.at("arriving", a!, "VNSGN-CATLAI"),
      epcis.at("arriving", "NO-SUCH-LOT", "VNSGN-CATLAI"),
      epcis.at("arriving", b!, "VNSGN-CATLAI"),
    ]);
    const result = await cli.run(["capture", file, "--proceed"], customs);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stdout).toMatch(/^refused event 1 \(ni:\/\/\/sha-256;[^)]+\): UNKNOWN_LOT: /);
    expect(result.stdout).toContain("proceed.jsonld: 2 accepted, 0 duplicate, 1 refused, 0 not applied (capture job");
    expect(result.stdout).toContain("proceed: the events not refused were applied");
    expect(await lotState(a!)).toBe("ARRIVED");
    expect(await lotState(b!)).toBe("ARRIVED");
  });

  it("refuses a file that is not an EPCISDocument with exit 2, saying why, without calling the node", async () => {
    const recorder = await startRecorder();
    try {
      await writeFile(join(cli.work, "broken.jsonld"), '{"type": "EPCISDocument", "epcisBody": {');
      await writeFile(join(cli.work, "event.jsonld"), JSON.stringify(epcis.hold("L", "x")));
      await writeFile(join(cli.work, "empty-list.jsonld"), JSON.stringify(epcis.document([])));
      await writeFile(join(cli.work, "deep-type.jsonld"), `{"type": ${nestedText(20_000)}}`);
      const env = { ...customs, TRACEGATE_API_URL: recorder.url };
      const [broken, event, empty, missing, deep] = await Promise.all([
        cli.run(["capture", "broken.jsonld"], env),
        cli.run(["capture", "event.jsonld"], env),
        cli.run(["capture", "empty-list.jsonld"], env),
        cli.run(["capture", "no-such-file.jsonld"], env),
        cli.run(["capture", "deep-type.jsonld"], env),
      ]);
      expect([broken.code, broken.stderr]).toEqual([
        2,
        expect.stringMatching(/broken.jsonld is not JSON \(.+\): capture takes an EPCIS 2.0 EPCISDocument in JSON-LD; nothing was sent/),
      ]);
      expect([event.code, event.stderr]).toEqual([2, expect.stringContaining('event.jsonld is not an EPCISDocument (its "type" is "ObjectEvent")')]);
      expect([empty.code, empty.stderr]).toEqual([2, expect.stringContaining("empty-list.jsonld has no events in epcisBody.eventList")]);
      expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("cannot read no-such-file.jsonld")]);
      expect([deep.code, deep.stderr]).toEqual([2, expect.stringContaining('deep-type.jsonld is not an EPCISDocument (its "type" is a list of 1)')]);
      expect(recorder.requests()).toBe(0);
    } finally {
      await recorder.close();
    }
  });

  it("says what to set when there is no node or no token (2), when the node is gone or unreachable (3), or the token is wrong (2)", async () => {
    const file = await document("one.jsonld", [epcis.hold("ANY-LOT", "x")]);
    const stopped = join(cli.work, "stopped-home");
    await mkdir(stopped);
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    await writeFile(join(stopped, "running.json"), JSON.stringify({ pid: gone, apiUrl: cli.node.product.apiUrl, metricsUrl: "" }));
    const token = customs.TRACEGATE_API_TOKEN;
    const closed = await startRecorder();
    await closed.close();
    const [none, stale, unreachable, noToken, wrongToken] = await Promise.all([
      cli.run(["capture", file], { TRACEGATE_API_TOKEN: token }),
      cli.run(["capture", file], { TRACEGATE_API_TOKEN: token, TRACEGATE_HOME: stopped }),
      cli.run(["capture", file], { TRACEGATE_API_TOKEN: token, TRACEGATE_API_URL: closed.url }),
      cli.run(["capture", file], { TRACEGATE_API_URL: cli.node.product.apiUrl }),
      cli.run(["capture", file], { TRACEGATE_API_URL: cli.node.product.apiUrl, TRACEGATE_API_TOKEN: `${token}x` }),
    ]);
    expect([none.code, none.stderr]).toEqual([
      2,
      expect.stringMatching(/TRACEGATE_API_URL is not set and no TraceGate is running on .*\.tracegate: give the node's API \(--api-url or TRACEGATE_API_URL/),
    ]);
    expect([stale.code, stale.stderr]).toEqual([
      3,
      expect.stringContaining(`TraceGate on ${stopped} has stopped (process ${gone} is gone): start it with \`npm start\`, or set TRACEGATE_API_URL`),
    ]);
    expect([unreachable.code, unreachable.stderr]).toEqual([
      3,
      expect.stringContaining(`cannot reach the TraceGate API at ${closed.url} (ECONNREFUSED): is the node running? check TRACEGATE_API_URL`),
    ]);
    expect([noToken.code, noToken.stderr]).toEqual([2, expect.stringContaining("TRACEGATE_API_TOKEN is not set: give your API token")]);
    expect([wrongToken.code, wrongToken.stderr]).toEqual([2, expect.stringMatching(/the node did not take your API token \(.+\): check TRACEGATE_API_TOKEN/)]);
  });

  it("exits 4 saying so when the node will not act for the token (403), and 3 when it fails (5xx)", async () => {
    // The embedded product signs for every member it has: a read-only node is one that answers 403.
    const detail = 'this API only reads: it was started without a ledger to write to (see the README, "Who signs")';
    const readOnly = await startRecorder({ status: 403, body: { type: "epcisException:SecurityException", title: "SecurityException", status: 403, detail } });
    const failing = await startRecorder({
      status: 503,
      body: { type: "epcisException:ServiceUnavailableException", status: 503, detail: "the ledger cannot be reached" },
    });
    try {
      const file = await document("not-mine.jsonld", [epcis.hold("ANY-LOT", "x")]);
      const [refused, failed] = await Promise.all([
        cli.run(["capture", file], { ...customs, TRACEGATE_API_URL: readOnly.url }),
        cli.run(["capture", file], { ...customs, TRACEGATE_API_URL: failing.url }),
      ]);
      expect([refused.code, refused.stderr]).toEqual([
        4,
        expect.stringContaining(`the node will not act for your token (${detail}): use a token of an organisation and role this node signs for`),
      ]);
      expect([failed.code, failed.stderr]).toEqual([
        3,
        expect.stringContaining("the TraceGate node failed to answer POST /epcis/capture (HTTP 503: the ledger cannot be reached)"),
      ]);
    } finally {
      await Promise.all([readOnly.close(), failing.close()]);
    }
  });

  it("on Ctrl-C, exits 130 and prints the status URL of the job, which goes on on the node", async () => {
    const [lot] = await declared(1);
    const file = await document("interrupted.jsonld", [epcis.at("arriving", lot!, "VNSGN-CATLAI")]);
    const chain = cli.node.product.ledger.embedded!.provider;
    // Blocks are mined only when asked: the job's transaction waits in the pool until the test mines it.
    await chain.request({ method: "evm_setAutomine", params: [false] });
    let result;
    try {
      result = await cli.run(["capture", file], customs, (stderr, child) => {
        if (/capture job .* taken/.test(stderr) && child.signalCode === null && !child.killed) child.kill("SIGINT");
      });
    } finally {
      await chain.request({ method: "evm_setAutomine", params: [true] });
      await chain.request({ method: "evm_mine", params: [] });
    }
    expect(result.code, result.stderr).toBe(130);
    const url = /its status: (\S+)/.exec(result.stderr)![1]!;
    expect(result.stderr).toContain(
      `tracegate: interrupted; the job goes on on the node. Where it stands: curl -H "Authorization: Bearer $TRACEGATE_API_TOKEN" ${url}`,
    );
    for (;;) {
      const status = (await (await fetch(url, { headers: { authorization: `Bearer ${customs.TRACEGATE_API_TOKEN}` } })).json()) as {
        running: boolean;
        success: boolean;
      };
      if (!status.running) {
        expect(status.success).toBe(true);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await lotState(lot!)).toBe("ARRIVED");
  });
});
