/**
 * The audit API as a process, over a store the indexer fills (USAGE below). Each flag but --cors, --dev
 * and --workers has the variable `npm start` reads, read the same way (settings.ts): a bad one exits 2,
 * named. --workers N runs N processes sharing the port (node:cluster): the API keeps no state between
 * requests, so one worker per core uses the whole machine.
 */
import cluster from "node:cluster";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import type { JSONWebKeySet } from "jose";
import { readHome, readIndexStore } from "../indexer/settings.js";
import { openStore } from "../indexer/store/index.js";
import { readCommandLine } from "../sdk/settings/command-line.js";
import { SettingsReader } from "../sdk/settings/reader.js";
import { devTokensForOrganisations, formatDevTokens } from "./auth/dev-token-list.js";
import { API_AUDIENCE, DEV_TOKEN_ISSUER, devTokenIssuer } from "./auth/dev-tokens.js";
import { readDevKey, readJwks } from "./auth/key-files.js";
import { PAGE_TOKEN_KEY_VARIABLE } from "./epcis/page-token.js";
import { startApiServer } from "./server.js";
import { readApiSettings } from "./settings.js";

const USAGE = `usage: npm run api -- --store .tracegate/index.sqlite|postgres://… --jwks trusted-keys.json --issuer NAME
         [--port 4000] [--host 127.0.0.1] [--audience NAME] [--cors https://portal.example]… [--workers N (default: one per core)]
       npm run api -- --store … --dev    development: GraphiQL, and a local signing key (kept in
         $TRACEGATE_HOME/api-dev-key.json, or --dev-key FILE) with a token printed per registered organisation
The variables: TRACEGATE_INDEX_STORE, _PORT, _HOST, _JWKS, _JWT_ISSUER, _JWT_AUDIENCE (README.md, "Settings").`;

const values = readCommandLine(USAGE, {
  store: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  jwks: { type: "string" },
  issuer: { type: "string" },
  audience: { type: "string" },
  cors: { type: "string", multiple: true, default: [] },
  dev: { type: "boolean", default: false },
  "dev-key": { type: "string" },
  workers: { type: "string", default: String(availableParallelism()) },
});
const read = new SettingsReader("api", process.env, {
  TRACEGATE_INDEX_STORE: { flag: "--store", value: values.store },
  TRACEGATE_PORT: { flag: "--port", value: values.port },
  TRACEGATE_HOST: { flag: "--host", value: values.host },
  TRACEGATE_JWKS: { flag: "--jwks", value: values.jwks },
  TRACEGATE_JWT_ISSUER: { flag: "--issuer", value: values.issuer },
  TRACEGATE_JWT_AUDIENCE: { flag: "--audience", value: values.audience },
});
const home = readHome(read, process.cwd());
const settings = { ...readApiSettings(read, home, process.cwd()), indexStore: readIndexStore(read, home) };
const trusted = settings.tokens.kind === "trusted-keys" ? settings.tokens : undefined;
if (trusted === undefined && !values.dev) read.missing("TRACEGATE_JWKS", "give the keys of the tokens to trust, or --dev for a local signing key");
if (!/^[1-9]\d{0,3}$/.test(values.workers)) read.problem(`--workers must be a whole number of at least 1, not "${values.workers}"`);
if (read.problems.length > 0) {
  process.stderr.write(`${read.problems.join("\n")}\n${USAGE}\n`);
  process.exit(2);
}
const devKey = values["dev-key"] ?? resolve(home, "api-dev-key.json");

const workers = Number(values.workers);
// The development key is made once, before any worker reads it.
if (cluster.isPrimary && values.dev && !existsSync(devKey)) {
  await mkdir(dirname(resolve(devKey)), { recursive: true });
  await writeFile(devKey, JSON.stringify((await devTokenIssuer()).privateJwk), { mode: 0o600 });
}
if (cluster.isPrimary && workers > 1) {
  let stopping = false;
  // One key seals every worker's EPCIS page tokens, so a next page may land on any worker.
  process.env[PAGE_TOKEN_KEY_VARIABLE] ??= randomBytes(32).toString("hex");
  for (let worker = 0; worker < workers; worker++) cluster.fork();
  cluster.on("exit", (_worker, code) => stopping || process.stderr.write(`an API worker exited (${code})\n`));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill(signal);
    });
  }
} else {
  await serve(cluster.worker === undefined || cluster.worker.id === 1);
}

async function serve(announce: boolean): Promise<void> {
  const trustedKeys: JSONWebKeySet = trusted === undefined ? { keys: [] } : await readJwks(trusted.jwksFile);
  const dev = values.dev ? await devTokenIssuer(await readDevKey(devKey)) : undefined;
  const store = await openStore(settings.indexStore);
  const server = await startApiServer({
    store,
    tokens: {
      keys: { keys: [...trustedKeys.keys, ...(dev?.jwks.keys ?? [])] },
      issuer: trusted?.issuer ?? DEV_TOKEN_ISSUER,
      audience: trusted?.audience ?? API_AUDIENCE,
    },
    development: values.dev,
    devTokens: dev,
    corsOrigins: values.cors,
    port: settings.port,
    host: settings.host,
    publicLotPart: settings.publicLotPart,
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, async () => {
      await server.close();
      await store.close();
      process.exit(0);
    });
  }
  if (!announce) return;
  process.stdout.write(`TraceGate audit API on ${server.url} (GraphQL at ${server.url}/graphql, pages at ${server.url}/) over ${store.engine}\n`);
  if (dev !== undefined) process.stdout.write(formatDevTokens(await devTokensForOrganisations(dev, store.db)));
}
