/**
 * Exactly once across a crash: a node killed with SIGKILL in the middle of a capture job resumes the
 * job when it starts again, learns from the ledger which parts were applied, and applies every event
 * once. The job alternates hold and unhold on a few lots, so an event applied twice would be refused
 * (a hold on a held lot) or show as an extra event on the ledger.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { findRunningProduct } from "../../product/running-file.js";
import { epcis, startCaptureProduct, type CaptureProduct } from "./capture-product.js";

const LOTS = 8;
const ROUNDS = 150; // hold + unhold per lot per round: 2,400 events, 24 parts
let node: CaptureProduct | undefined;
let child: ChildProcess | undefined;

afterAll(async () => {
  child?.kill("SIGKILL");
  await node?.stop(true);
});

/** `npm start` on `home` in a child process; resolves once it serves. */
function startChild(home: string): Promise<ChildProcess> {
  const started = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", "product/start.ts"], {
    env: { PATH: process.env.PATH, TRACEGATE_HOME: home, TRACEGATE_PORT: "0", TRACEGATE_METRICS_PORT: "0", TRACEGATE_RPC_PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolvePromise, reject) => {
    started.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("TraceGate is running")) resolvePromise(started);
    });
    started.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    started.on("exit", (code) => reject(new Error(`the product exited (${code}) before serving:\n${output}`)));
  });
}

describe("a capture job interrupted by SIGKILL", () => {
  it("is resumed at the next start and applies every event exactly once", async () => {
    // Lots declared and arrived, on a node that is then stopped cleanly.
    node = await startCaptureProduct();
    const home = node.home;
    const lots = Array.from({ length: LOTS }, (_, i) => `CRASH-LOT-${i}`);
    const declarations: Awaited<ReturnType<CaptureProduct["declaration"]>>[] = [];
    for (const lot of lots) declarations.push(await node.declaration(lot));
    const officer = { org: "VNCUSTOMS", role: "OFFICER" } as const;
    await node.ledger.submitBatch(
      { org: "AN-PHAT", role: "OPERATOR" },
      lots.map((lot, i) => ({
        type: "declare",
        lot,
        goods: { material: "COTTON-YARN", hsCode: "520512", unit: "KGM", quantity: 10n },
        direction: "IMPORT",
        preferenceClaimed: false,
        permitRequired: false,
        declaration: declarations[i]!,
      })),
    );
    await node.ledger.submitBatch(
      officer,
      lots.map((lot) => ({ type: "arrive", lot, facility: "VNSGN-CATLAI" })),
    );
    await node.stop();
    node = undefined;

    // The same home served by a child process, which takes the job and is killed in the middle of it.
    child = await startChild(home);
    const { apiUrl } = await findRunningProduct(home);
    const issuer = await devTokenIssuer(JSON.parse(await readFile(resolve(home, "api-dev-key.json"), "utf8")));
    const token = await issuer.mint("VNCUSTOMS", "OFFICER");
    const events = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const lot of lots) events.push({ ...epcis.hold(lot, `round ${round}`), eventID: `urn:uuid:hold-${round}-${lot}` });
      for (const lot of lots)
        events.push({
          ...epcis.hold(lot, ""),
          bizStep: "https://tracegate.dev/epcis/releasing_hold",
          "tg:reason": undefined,
          eventID: `urn:uuid:unhold-${round}-${lot}`,
        });
    }
    const taken = await fetch(`${apiUrl}/epcis/capture`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(epcis.document(events)),
    });
    expect(taken.status).toBe(202);
    const location = taken.headers.get("location")!;
    let accepted = 0;
    while (accepted === 0) {
      const status = (await (await fetch(`${apiUrl}${location}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        counts: Record<string, number>;
        running: boolean;
      };
      expect(status.running).toBe(true); // the job must still be running when the node is killed
      accepted = status.counts.accepted ?? 0;
    }
    child.kill("SIGKILL");
    await new Promise((resolveExit) => child!.once("exit", resolveExit));
    child = undefined;

    // Started again: the job resumes and ends, each event applied once.
    node = await startCaptureProduct(home);
    const status = await node.product.capture!.status(location.split("/").pop()!);
    await node.product.capture!.settled(status!.job.id, 120_000);
    const final = (await node.product.capture!.status(status!.job.id))!;
    expect(final.job.state).toBe("success");
    expect(final.events.filter((event) => event.status !== "accepted")).toEqual([]);
    expect(accepted).toBeLessThan(events.length);
    let custodyEvents = 0;
    for await (const entry of node.ledger.events())
      if (entry.event.type === "custody" && entry.event.action !== "declare" && entry.event.action !== "arrive") custodyEvents += 1;
    expect(custodyEvents).toBe(events.length);
    for (const lot of lots) expect((await node.ledger.lot(lot))?.state).toBe("ARRIVED");
  }, 300_000);
});
