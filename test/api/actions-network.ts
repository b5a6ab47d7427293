/**
 * A live network for the custody-action tests: the demo network on the embedded chain, an indexer
 * following it into SQLite, and the API over that store with a writer that submits through an
 * EvmLedger holding the members' keys. Lots in several states are laid down first:
 *
 *   LOT-DECL   DECLARED (AN-PHAT, import)
 *   LOT-GATE   ARRIVED at the customs gate, claims preference (a C/O is needed to clear)
 *   LOT-WH     IN_WAREHOUSE at SAIGON-TERMINAL's bonded warehouse (its custodian)
 *   LOT-WH2    IN_WAREHOUSE there too
 *   LOT-HELD   HELD (from IN_WAREHOUSE)
 *   LOT-DONE   DESTROYED
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { documentHash, type Action, type Actor, type CustodyAction, type Role } from "../../domain/index.js";
import { API_AUDIENCE, DEV_TOKEN_ISSUER, devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { CannotActError, type ActOutcome, type CustodyWriter } from "../../api/capture/writer.js";
import type { Limits } from "../../api/hardening.js";
import { startApiServer, type ApiServer } from "../../api/server.js";
import { CSRF_HEADER } from "../../api/yoga.js";
import { Indexer } from "../../indexer/indexer.js";
import { EvmSource } from "../../indexer/sources/evm/evm-source.js";
import type { Store } from "../../indexer/store/engine.js";
import { openStore } from "../../indexer/store/open.js";
import { providerBatchRpc } from "../../sdk/evm/batch-rpc.js";
import { startDemoNetwork } from "../../product/chain/demo-network.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import type { GraphQLResponse } from "./scenario-api.js";

export const OFFICER: Actor = { org: "VNCUSTOMS", role: "OFFICER" };
export const AUDITOR: Actor = { org: "VNCUSTOMS", role: "AUDITOR" };
export const ANPHAT: Actor = { org: "AN-PHAT", role: "OPERATOR" };
export const TERMINAL: Actor = { org: "SAIGON-TERMINAL", role: "OPERATOR" };
export const VCCI: Actor = { org: "VCCI-HCM", role: "SIGNER" };
export const ANPHAT_SIGNER: Actor = { org: "AN-PHAT", role: "SIGNER" };

export const GATE = "VNSGN-CATLAI";
export const WAREHOUSE = "VNSGN-BONDED-1";
export const FACTORY = "VNBNH-ANPHAT-F1";
export const CO_HASH = documentHash("actions test C/O");

/**
 * Acts through the ledger for the actors it holds keys for, each event id once while it runs (the real
 * writer, api/capture/, keeps them durably).
 */
export class LedgerWriter implements CustodyWriter {
  /** The event ids applied, in order. */
  readonly acted: string[] = [];

  constructor(
    private readonly ledger: EvmLedger,
    private readonly actors: readonly Actor[],
  ) {}

  canActAs(actor: Actor): boolean {
    return this.actors.some((held) => held.org === actor.org && held.role === actor.role);
  }

  async act(actor: Actor, action: CustodyAction, eventId: string): Promise<ActOutcome> {
    if (!this.canActAs(actor)) throw new CannotActError(actor);
    if (this.acted.includes(eventId)) return { status: "duplicate", eventId };
    const { event, tx, block, time } = await this.ledger.submit(actor, action);
    this.acted.push(eventId);
    return { status: "accepted", eventId, event, transaction: { tx, block, time } };
  }
}

type Send = <T = Record<string, any>>(actor: Actor, query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse<T>>;

export interface ActionsNetwork {
  url: string;
  ledger: EvmLedger;
  /** The index the APIs read and the indexer writes. */
  store: Store;
  writer: LedgerWriter;
  /** Sends a GraphQL request with `actor`'s token. */
  query<T = Record<string, any>>(actor: Actor, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** The same to an API over the same store started without a writer. */
  queryReadOnly: Send;
  /** Another API over the same store, with `writer` (closed with the network): its URL and how to query it. */
  serve(writer: CustodyWriter, limits?: Partial<Limits>): Promise<{ url: string; query: Send }>;
  /** What the APIs reported as internal errors (answered INTERNAL). */
  internalErrors: unknown[];
  token(actor: Actor): Promise<string>;
  close(): Promise<void>;
}

/** Everything the setup submits: declarations and documents, then the lots moved to their states. */
function setup(): Array<[Actor, Action]> {
  const declaration = (lot: string) => documentHash(`declaration of ${lot}`);
  const declare = (lot: string, preferenceClaimed = false): Array<[Actor, Action]> => [
    [ANPHAT_SIGNER, { type: "anchor", hash: declaration(lot), id: `DECL-${lot}`, kind: "DECLARATION", cid: "bafy-decl", subjects: [] }],
    [
      ANPHAT,
      {
        type: "declare",
        lot,
        goods: { material: "FAB-COT", hsCode: "52085200", unit: "MTR", quantity: 1000n },
        direction: "IMPORT",
        preferenceClaimed,
        permitRequired: false,
        declaration: declaration(lot),
      },
    ],
  ];
  const stored = (lot: string): Array<[Actor, Action]> => [
    ...declare(lot),
    [OFFICER, { type: "arrive", lot, facility: GATE }],
    [TERMINAL, { type: "store", lot, facility: WAREHOUSE }],
  ];
  return [
    [VCCI, { type: "anchor", hash: CO_HASH, id: "CO-ACTIONS", kind: "CO", cid: "bafy-co", subjects: [] }],
    ...declare("LOT-DECL"),
    ...declare("LOT-GATE", true),
    [OFFICER, { type: "arrive", lot: "LOT-GATE", facility: GATE }],
    ...stored("LOT-WH"),
    ...stored("LOT-WH2"),
    ...stored("LOT-HELD"),
    [OFFICER, { type: "hold", lot: "LOT-HELD", reason: "x-ray" }],
    ...stored("LOT-DONE"),
    [OFFICER, { type: "destroy", lot: "LOT-DONE", reason: "spoilt" }],
  ];
}

/** Starts the network; the writer holds keys for `actors` (by default every demo member but AN-PHAT's operator). */
export async function startActionsNetwork(actors: readonly Actor[] = [OFFICER, AUDITOR, TERMINAL, VCCI]): Promise<ActionsNetwork> {
  const network = await startDemoNetwork();
  const directory = await mkdtemp(join(tmpdir(), "tracegate-actions-"));
  const stopping = new AbortController();
  let store: Store | undefined;
  const servers: ApiServer[] = [];
  let following: Promise<void> | undefined;
  const close = async () => {
    stopping.abort();
    await following?.catch(() => undefined);
    for (const server of servers) await server.close();
    await store?.close();
    await network.chain.stop();
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const ledger = await EvmLedger.connect({
      endpoint: network.chain.connection.provider,
      addresses: network.chain.addresses,
      signers: network.signers,
      pollIntervalMs: 5,
    });
    for (const [actor, action] of setup()) await ledger.submit(actor, action);
    store = await openStore(join(directory, "index.sqlite"));
    const { TraceGateRegistry: registry, CustodyRegistry: custody } = network.chain.addresses;
    const source = await EvmSource.connect(providerBatchRpc(network.chain.connection.provider), { registry, custody });
    const indexer = await Indexer.open(
      store,
      source,
      { finality: 0, batchBlocks: 10_000, pollMs: 10 },
      { committed() {}, rolledBack() {}, failed: (error) => console.error("indexer:", error) },
    );
    await indexer.run({ untilHead: true });
    following = indexer.run({ signal: stopping.signal });
    const writer = new LedgerWriter(ledger, actors);
    const issuer = await devTokenIssuer();
    const tokens = { keys: issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE };
    const token = (actor: Actor) => issuer.mint(actor.org, actor.role as Role);
    const sender =
      (url: string): Send =>
      async <T>(actor: Actor, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> => {
        const response = await fetch(`${url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", [CSRF_HEADER]: "1", authorization: `Bearer ${await token(actor)}` },
          body: JSON.stringify({ query, variables }),
        });
        return { status: response.status, ...((await response.json()) as object) };
      };
    const opened = store;
    const internalErrors: unknown[] = [];
    const serve = async (serving?: CustodyWriter, limits?: Partial<Limits>) => {
      const server = await startApiServer({
        store: opened,
        tokens,
        ...(serving === undefined ? {} : { writer: serving }),
        ...(limits === undefined ? {} : { limits }),
        logError: (error) => internalErrors.push(error),
      });
      servers.push(server);
      return { url: server.url, query: sender(server.url) };
    };
    const { url, query } = await serve(writer);
    return { url, ledger, store: opened, writer, token, query, queryReadOnly: (await serve()).query, serve, internalErrors, close };
  } catch (error) {
    await close();
    throw error;
  }
}
