/**
 * `npm run api` honours the settings README.md documents for it, read as `npm start` reads them:
 * TRACEGATE_HOME (the store in it), TRACEGATE_HOST and TRACEGATE_PORT (where it answers), TRACEGATE_JWKS,
 * TRACEGATE_JWT_ISSUER and TRACEGATE_JWT_AUDIENCE (which tokens it takes); a bad value or a misspelt
 * name exits 2 naming it.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devTokenIssuer, type DevTokenIssuer } from "../../api/auth/dev-tokens.js";
import { freePort } from "../../scripts/harness/free-port.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Runs the API command; resolves with its URL once it serves, or with its exit when it does not start. */
function api(env: NodeJS.ProcessEnv, args: string[] = []) {
  const child = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", "api/main.ts", "--workers", "1", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const started = new Promise<{ url: string } | { code: number | null; stderr: string }>((resolve) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /audit API on (http:\/\/\S+) /.exec(stdout)?.[1];
      if (url !== undefined) resolve({ url });
    });
    void exited.then((code) => resolve({ code, stderr }));
  });
  return { child, started, exited };
}

describe("npm run api's settings", () => {
  let directory: string;
  let idp: DevTokenIssuer;
  let jwks: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "tracegate-api-settings-"));
    idp = await devTokenIssuer();
    jwks = join(directory, "idp.json");
    await writeFile(jwks, JSON.stringify(idp.jwks));
  });
  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it("serves the store in TRACEGATE_HOME on TRACEGATE_HOST:TRACEGATE_PORT, taking only the tokens TRACEGATE_JWKS, _JWT_ISSUER and _JWT_AUDIENCE name", async () => {
    const home = join(directory, "home");
    const port = await freePort();
    const run = api({
      TRACEGATE_HOME: home,
      TRACEGATE_HOST: "127.0.0.1",
      TRACEGATE_PORT: String(port),
      TRACEGATE_JWKS: jwks,
      TRACEGATE_JWT_ISSUER: "https://idp.customs.example",
      TRACEGATE_JWT_AUDIENCE: "audit",
    });
    try {
      expect(await run.started).toEqual({ url: `http://127.0.0.1:${port}` });
      // The store is empty: a token the API accepts gets as far as its organisation, which is not registered.
      const ask = async (token: string) => {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ query: "{ __typename }" }),
        });
        return ((await response.json()) as { errors?: Array<{ message: string }> }).errors?.[0]?.message;
      };
      expect(await ask(await idp.mint("VNCUSTOMS", "AUDITOR", { issuer: "https://idp.customs.example", audience: "audit" }))).toBe(
        "VNCUSTOMS is not a registered organisation",
      );
      expect(await ask(await idp.mint("VNCUSTOMS", "AUDITOR", { audience: "audit" }))).toMatch(/^the token is not accepted/);
      expect(await ask(await idp.mint("VNCUSTOMS", "AUDITOR", { issuer: "https://idp.customs.example" }))).toMatch(/^the token is not accepted/);
      await stat(join(home, "index.sqlite"));
    } finally {
      run.child.kill("SIGTERM");
      await run.exited;
    }
  });

  const refusals: Array<[string, NodeJS.ProcessEnv, string[], string]> = [
    [
      "a misspelt variable",
      { TRACEGATE_JWT_ISSUR: "x" },
      ["--dev"],
      "TRACEGATE_JWT_ISSUR is not a TraceGate setting: did you mean TRACEGATE_JWT_ISSUER? (README.md lists them all); unset it",
    ],
    ["a port that is not a number", { TRACEGATE_PORT: "http" }, ["--dev"], 'TRACEGATE_PORT must be a port number 0-65535, not "http"'],
    [
      "trusted keys without their issuer",
      { TRACEGATE_JWKS: "idp.json" },
      [],
      "TRACEGATE_JWT_ISSUER (or --issuer) is not set: the issuer (iss) your identity provider puts in tokens",
    ],
    [
      "a store that is neither a file nor PostgreSQL",
      { TRACEGATE_INDEX_STORE: "mysql://db/tg" },
      ["--dev"],
      'TRACEGATE_INDEX_STORE must be a file path or a postgres:// URL, not "mysql://db/tg"',
    ],
  ];
  for (const [index, [what, env, args, message]] of refusals.entries()) {
    it.concurrent(`refuses ${what} with exit 2, naming it, creating nothing`, async () => {
      const home = join(directory, `refused-${index}`);
      const run = api({ TRACEGATE_HOME: home, ...env }, args);
      const outcome = await run.started;
      if ("url" in outcome) run.child.kill("SIGTERM");
      expect(outcome).toEqual({ code: 2, stderr: expect.stringMatching(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n`)) });
      await expect(stat(home)).rejects.toThrow(/ENOENT/);
    });
  }
});
