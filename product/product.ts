/**
 * The whole product in one process: the ledger (embedded chain by default), the indexer following it
 * into the store, and the audit API with its web pages over that store and the document store. Started in that order,
 * stopped in the reverse one; a part that fails to start stops the ones already running.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { devTokensForOrganisations, type DevToken } from "../api/auth/dev-token-list.js";
import { DEV_TOKEN_ISSUER, API_AUDIENCE, devTokenIssuer } from "../api/auth/dev-tokens.js";
import { readDevKey, readJwks } from "../api/auth/key-files.js";
import { CaptureJobs } from "../api/capture/jobs.js";
import { loadDocumentKeys, type DocumentKeyRing } from "../api/document-keys.js";
import { startApiServer, type ApiServer } from "../api/server.js";
import { openTrackAnchorer } from "../api/transit/open-anchorer.js";
import type { TrackAnchorer } from "../api/transit/track-anchorer.js";
import { startIndexing } from "../indexer/service.js";
import type { Store } from "../indexer/store/engine.js";
import type { DocumentStore } from "../sdk/documents/store.js";
import { openStore } from "../indexer/store/open.js";
import { ensureKeyFiles } from "../sdk/documents/key-files.js";
import { openDocumentStore } from "./documents.js";
import { refuseIndexAhead } from "./index-ahead.js";
import { openLedger, type FollowedLedger } from "./ledger.js";
import { lockHome } from "./home-lock.js";
import { removeRunningFile, writeRunningFile } from "./running-file.js";
import type { ProductSettings, TokenSettings } from "./settings.js";
import { openWriter } from "./writer.js";

export interface Product {
  apiUrl: string;
  metricsUrl: string;
  ledger: FollowedLedger;
  /** Development tokens per organisation (none when tokens come from a trusted identity provider). */
  devTokens: DevToken[];
  /** Organisations' document keys and the embedded document store, for the CLI. */
  keysDir: string;
  documentsDir: string | undefined;
  /** EPCIS capture and the API's actions; undefined when this node holds no member keys. */
  capture: CaptureJobs | undefined;
  /** Anchors seals' device reports in track segments; undefined when this node cannot (no capture, no customs SIGNER). */
  tracks: TrackAnchorer | undefined;
  /** Rejects if indexing stops for good after start (a ledger that refuses us, a deep reorg): the API would then answer from a stale index. */
  indexingStopped: Promise<void>;
  stop(): Promise<void>;
}

export async function startProduct(settings: ProductSettings, log: (line: string) => void): Promise<Product> {
  await mkdir(settings.home, { recursive: true });
  const unlock = lockHome(settings.home);
  const running: Array<() => Promise<void>> = [async () => unlock()];
  const stop = async () => {
    for (const close of running.reverse()) await close();
    running.length = 0;
  };
  try {
    log("starting the ledger");
    const ledger = await openLedger(settings.ledger, settings.home, log);
    running.push(() => ledger.close());
    const keysDir = settings.documentKeys.directory;
    if (ledger.embedded !== undefined) await ensureKeyFiles(keysDir, new Set(ledger.embedded.signers.map((signer) => signer.org)));
    const documentKeys = await decryptingKeys(settings, log);

    // The indexer writes through its own connection: API reads never see its open transactions.
    const indexStore = await openStore(settings.indexStore, { findings: settings.findings });
    running.push(() => indexStore.close());
    if (ledger.embedded !== undefined) await refuseIndexAhead(indexStore, ledger.source, ledger.embedded.journal, settings.indexStore);
    const indexing = await startIndexing(indexStore, ledger.source, {
      finality: ledger.finality,
      batchBlocks: 10_000,
      pollMs: 250,
      metricsPort: settings.metricsPort,
      log,
      ledgerCache: settings.ledgerCache,
    });
    running.push(() => indexing.stop());
    log(`indexing ${ledger.source.id} into ${indexStore.engine}; catching up with the ledger`);
    await indexing.caughtUp;

    const documents = await openDocumentStore(settings.documents);
    running.push(() => documents.close());
    const apiStore = await openStore(settings.indexStore);
    running.push(() => apiStore.close());
    const tokens = await tokenKeys(settings.tokens);
    const { capture, tracks } = await openCapture(settings, ledger, indexStore, documents.store, running, log);
    const api: ApiServer = await startApiServer({
      store: apiStore,
      documents: documents.store,
      documentKeys,
      capture,
      writer: capture,
      tokens: tokens.verification,
      development: settings.tokens.kind === "development",
      devTokens: tokens.issuer,
      port: settings.apiPort,
      publicLotPart: settings.publicLotPart,
      host: settings.host,
    });
    running.push(() => api.close());
    const devTokens = tokens.issuer === undefined ? [] : await devTokensForOrganisations(tokens.issuer, apiStore.db);
    const chain = ledger.embedded === undefined ? undefined : { rpcUrl: ledger.embedded.rpcUrl, addresses: ledger.embedded.addresses };
    await writeRunningFile(settings.home, { pid: process.pid, apiUrl: api.url, metricsUrl: indexing.metricsUrl, chain });
    running.push(() => removeRunningFile(settings.home));
    return {
      apiUrl: api.url,
      metricsUrl: indexing.metricsUrl,
      ledger,
      devTokens,
      keysDir,
      documentsDir: settings.documents.kind === "embedded" ? settings.documents.directory : undefined,
      capture,
      tracks,
      indexingStopped: indexing.done,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The capture service, writing its log through the indexer's own store connection (SQLite has one
 * writer per file); undefined when this node holds no member keys, so the API only reads.
 */
async function openCapture(
  settings: ProductSettings,
  ledger: FollowedLedger,
  store: Store,
  documents: DocumentStore,
  running: Array<() => Promise<void>>,
  log: (line: string) => void,
): Promise<{ capture: CaptureJobs | undefined; tracks: TrackAnchorer | undefined }> {
  const writer = await openWriter(settings.ledger, ledger);
  if (writer === undefined) {
    log("no member keys (TRACEGATE_MEMBER_KEYS): the API reads only; EPCIS capture and actions answer 403");
    return { capture: undefined, tracks: undefined };
  }
  running.push(() => writer.close());
  const tracks = await openTrackAnchorer({
    db: store.db,
    ledger: writer.ledger,
    signers: writer.signers,
    documents,
    keysDir: settings.documentKeys.directory,
    policy: settings.track,
    log,
  });
  if (tracks !== undefined) running.push(() => tracks.close());
  const capture = await CaptureJobs.open({
    db: store.db,
    ledger: writer.ledger,
    signers: writer.signers,
    logError: (error) => log(`capture: ${error instanceof Error ? error.message : String(error)}`),
    onReportsKept: () => tracks?.nudge(),
  });
  running.push(() => capture.close());
  log(`capture: signing for ${writer.signers.length} member accounts (${[...new Set(writer.signers.map((signer) => signer.org))].length} organisations)`);
  return { capture, tracks };
}

/** The document keys this node decrypts with: a listed organisation without its key file stops the start. */
async function decryptingKeys(settings: ProductSettings, log: (line: string) => void): Promise<DocumentKeyRing> {
  let keys: DocumentKeyRing;
  try {
    keys = await loadDocumentKeys(settings.documentKeys.directory, settings.documentKeys.orgs);
  } catch (error) {
    throw new Error(`TRACEGATE_DECRYPT_FOR: ${error instanceof Error ? error.message : String(error)}`);
  }
  log(
    `documents: decrypted on this node for ${keys.orgs.length === 0 ? "no organisation" : keys.orgs.join(", ")}; any other organisation decrypts in its browser with its key file`,
  );
  return keys;
}

/** The keys the API trusts, and the development issuer when tokens are minted locally. */
async function tokenKeys(settings: TokenSettings) {
  if (settings.kind === "trusted-keys") {
    const keys = await readJwks(settings.jwksFile);
    return { verification: { keys, issuer: settings.issuer, audience: settings.audience }, issuer: undefined };
  }
  const jwk = existsSync(settings.keyFile) ? await readDevKey(settings.keyFile) : undefined;
  const issuer = await devTokenIssuer(jwk);
  // Kept, so tokens printed before a restart stay valid after it.
  if (jwk === undefined) await writeFile(settings.keyFile, JSON.stringify(issuer.privateJwk), { mode: 0o600 });
  return { verification: { keys: issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE }, issuer };
}
