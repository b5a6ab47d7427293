/**
 * The CLI's node commands (capture, act) as a user runs them: `sdk/cli/tracegate.js` in a child process,
 * in a working folder of its own, against a product started in process (test/capture/capture-product.ts),
 * or against a recorder that counts the requests it gets (to show that bad input never reaches a node).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CustodyAction, Role } from "../../domain/index.js";
import { actionEvent, epcisDirectory } from "../../sdk/epcis/index.js";
import { startCaptureProduct, type CaptureProduct } from "../capture/capture-product.js";

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface NodeCli {
  node: CaptureProduct;
  /** The CLI's working folder (its cwd): files to capture; no .tracegate here. */
  work: string;
  /** The settings of a user of the node with a token of `org` as `role`. */
  as(org: string, role: Role): Promise<NodeJS.ProcessEnv>;
  /**
   * Applies `action` as `org`/`role` through the node's POST /epcis/events: test setup. The node signs
   * for that member; the fixture's own ledger signing with the same key would race it for nonces.
   */
  apply(org: string, role: Role, action: CustodyAction): Promise<void>;
  /** Declares `lot` as AN-PHAT (its declaration anchored first), through the node. */
  declare(lot: string, quantity?: bigint): Promise<void>;
  /** Runs `tracegate <args>`; `onStderr` sees what it writes as it writes it (and may interrupt it). */
  run(args: string[], env: NodeJS.ProcessEnv, onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<ChildRun>;
  close(): Promise<void>;
}

const BIN = join(process.cwd(), "sdk", "cli", "tracegate.js");

export async function startNodeCli(): Promise<NodeCli> {
  const node = await startCaptureProduct();
  const work = await mkdtemp(join(tmpdir(), "tracegate-node-cli-"));
  const apply = async (org: string, role: Role, action: CustodyAction) => {
    const event = actionEvent(action, { directory: epcisDirectory(), time: BigInt(Math.floor(Date.now() / 1000)) });
    const response = await fetch(`${node.product.apiUrl}/epcis/events`, {
      method: "POST",
      headers: { "content-type": "application/ld+json", authorization: `Bearer ${await node.token(org, role)}` },
      body: JSON.stringify(event),
    });
    if (response.status !== 201) throw new Error(`setup: ${action.type} answered ${response.status}: ${await response.text()}`);
  };
  return {
    node,
    work,
    as: async (org, role) => ({ TRACEGATE_API_URL: node.product.apiUrl, TRACEGATE_API_TOKEN: await node.token(org, role) }),
    apply,
    async declare(lot, quantity = 1000n) {
      const goods = { material: "COTTON-YARN", hsCode: "520512", unit: "KGM", quantity };
      await apply("AN-PHAT", "OPERATOR", {
        type: "declare",
        lot,
        goods,
        direction: "IMPORT",
        preferenceClaimed: false,
        permitRequired: false,
        declaration: await node.declaration(lot),
      });
    },
    run: (args, env, onStderr) => runCli(args, work, env, onStderr),
    async close() {
      await rm(work, { recursive: true, force: true });
      await node.stop(true);
    },
  };
}

/** The user's environment without any TraceGate setting of the machine running the tests, plus `env`. */
function cleanEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TRACEGATE_") && !name.startsWith("npm_")));
  return { ...base, ...env };
}

function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv, onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<ChildRun> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnvironment(env), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    onStderr?.(stderr, child);
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** An HTTP server that gives every request the same answer (500 unless told) and counts them. */
export async function startRecorder(
  answer: { status: number; body?: unknown } = { status: 500 },
): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((_, response) => {
    requests += 1;
    if (answer.body === undefined) response.writeHead(answer.status).end();
    else response.writeHead(answer.status, { "content-type": "application/problem+json" }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
