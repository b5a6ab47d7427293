/**
 * The audit API as a process, over a store the indexer fills:
 *   npm run api -- --store .tracegate/index.sqlite|postgres://… --jwks trusted-keys.json [--port 4000] [--host 127.0.0.1]
 *     [--issuer NAME] [--audience NAME] [--cors https://portal.example]… [--workers N (default: one per core)]
 *   npm run api -- --store … --dev    development: GraphiQL, and a local signing key (kept in
 *                                     .tracegate/api-dev-key.json) with a token printed per registered organisation
 * --workers N runs N processes sharing the port (node:cluster): the API keeps no state between
 * requests, so one worker per core uses the whole machine.
 */
import cluster from "node:cluster";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { JSONWebKeySet, JWK } from "jose";
import { openStore } from "../indexer/store/open.js";
import { devTokensForOrganisations, formatDevTokens } from "./auth/dev-token-list.js";
import { API_AUDIENCE, DEV_TOKEN_ISSUER, devTokenIssuer } from "./auth/dev-tokens.js";
import { PAGE_TOKEN_KEY_VARIABLE } from "./epcis/page-token.js";
import { startApiServer } from "./server.js";

const { values } = parseArgs({
  options: {
    store: { type: "string", default: process.env.TRACEGATE_INDEX_STORE ?? ".tracegate/index.sqlite" },
    port: { type: "string", default: "4000" },
    host: { type: "string", default: "127.0.0.1" },
    jwks: { type: "string" },
    issuer: { type: "string", default: DEV_TOKEN_ISSUER },
    audience: { type: "string", default: API_AUDIENCE },
    cors: { type: "string", multiple: true, default: [] },
    dev: { type: "boolean", default: false },
    "dev-key": { type: "string", default: ".tracegate/api-dev-key.json" },
    workers: { type: "string", default: String(availableParallelism()) },
  },
});
if (values.jwks === undefined && !values.dev) {
  process.stderr.write("usage: api/main.ts --store <path|postgres://…> --jwks <trusted-keys.json> [--port 4000] (or --dev for a local signing key)\n");
  process.exit(2);
}

const workers = Number(values.workers);
// The development key is made once, before any worker reads it.
if (cluster.isPrimary && values.dev && !existsSync(values["dev-key"])) {
  await mkdir(dirname(resolve(values["dev-key"])), { recursive: true });
  await writeFile(values["dev-key"], JSON.stringify((await devTokenIssuer()).privateJwk), { mode: 0o600 });
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
  const trusted: JSONWebKeySet = values.jwks === undefined ? { keys: [] } : (JSON.parse(await readFile(values.jwks, "utf8")) as JSONWebKeySet);
  const dev = values.dev ? await devTokenIssuer(JSON.parse(await readFile(values["dev-key"], "utf8")) as JWK) : undefined;
  const store = await openStore(values.store);
  const server = await startApiServer({
    store,
    tokens: { keys: { keys: [...trusted.keys, ...(dev?.jwks.keys ?? [])] }, issuer: values.issuer, audience: values.audience },
    development: values.dev,
    devTokens: dev,
    corsOrigins: values.cors,
    port: Number(values.port),
    host: values.host,
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
