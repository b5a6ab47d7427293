/**
 * The CLI's tests share one setup: a demo EVM ledger served over JSON-RPC, a working folder holding
 * the organisations' key pairs, the settings pointing at both, and `run`, which calls the CLI's main
 * in process and collects what it writes.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../sdk/cli/main.js";
import { generateOrganisationKeyPair } from "../../sdk/documents/keys.js";
import { startEvmDemoLedger, type EvmDemoLedger } from "../ledger/evm-demo-ledger.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  bytes: Buffer;
}

export interface CliWorkspace {
  demo: EvmDemoLedger;
  /** The working folder: keys, documents store, files to anchor. */
  work: string;
  /** The settings of the ledger, store and keys, acting as no one. */
  env: NodeJS.ProcessEnv;
  /** `env` acting as a registered member of `org` with `role`. */
  as(org: string, role?: string): NodeJS.ProcessEnv;
  run(args: string[], environment: NodeJS.ProcessEnv): Promise<CliRun>;
  close(): Promise<void>;
}

export async function openCliWorkspace(orgsWithKeys: readonly string[], extra: NodeJS.ProcessEnv = {}): Promise<CliWorkspace> {
  const demo = await startEvmDemoLedger({ port: 0 });
  const work = await mkdtemp(join(tmpdir(), "tracegate-cli-"));
  for (const org of orgsWithKeys) {
    const { publicKey, privateKey } = generateOrganisationKeyPair();
    await writeFile(join(work, `${org}.public.pem`), publicKey);
    await writeFile(join(work, `${org}.private.pem`), privateKey);
  }
  const env: NodeJS.ProcessEnv = {
    TRACEGATE_RPC_URL: demo.endpoint as string,
    TRACEGATE_REGISTRY: demo.network.chain.addresses.TraceGateRegistry,
    TRACEGATE_CUSTODY: demo.network.chain.addresses.CustodyRegistry,
    TRACEGATE_DATA_DIR: join(work, "documents"),
    TRACEGATE_KEYS_DIR: work,
    ...extra,
  };
  const keyOf = (org: string, role: string) => demo.network.signers.find((signer) => signer.org === org && signer.role === role)!.privateKey;
  return {
    demo,
    work,
    env,
    as: (org, role = "SIGNER") => ({ ...env, TRACEGATE_ORG: org, TRACEGATE_ROLE: role, TRACEGATE_PRIVATE_KEY: keyOf(org, role) }),
    run: (args, environment) => runInProcess(args, environment, work),
    async close() {
      await rm(work, { recursive: true, force: true });
      await demo.stop();
    },
  };
}

/** Runs `tracegate <args>` through the CLI's main in this process, in `cwd`, and collects what it writes. */
export async function runInProcess(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliRun> {
  const out: Buffer[] = [];
  const err: string[] = [];
  const code = await main(args, {
    env,
    cwd,
    stdout: { write: (chunk: string | Uint8Array) => out.push(Buffer.from(chunk)) },
    stderr: { write: (chunk: string | Uint8Array) => err.push(String(chunk)) },
  });
  const bytes = Buffer.concat(out);
  return { code, stdout: bytes.toString("utf8"), stderr: err.join(""), bytes };
}
