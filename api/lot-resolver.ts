/**
 * A resolver for lots, the GS1 Digital Link way: one path per lot (`/lot/<id>`: TraceGate lots have no
 * GTIN, so the key is TraceGate's own, `urn:tracegate:lot:<id>` in EPCIS) that a printed label carries.
 * `Accept: application/linkset+json` (or `?linkType=all`) answers the RFC 9264 linkset of what exists for
 * the lot and the caller may see; `?linkType=<type>` redirects to that link; anything else (a browser)
 * is redirected to the page the caller may see. A caller who may see the lot gets its trace page, its
 * EPCIS events and its documents' verdicts; anyone else only the public part the setting allows.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLError } from "graphql";
import type { Kysely } from "kysely";
import type { Database } from "../indexer/store/index.js";
import { lotId } from "../sdk/epcis/identifiers.js";
import { requestCaller } from "./auth/request-caller.js";
import type { TokenVerifier } from "./auth/tokens.js";
import { documentHashesOfLot } from "./read/documents.js";

/**
 * What a caller who may not see a lot learns from its resolver path (TRACEGATE_RESOLVER_PUBLIC, api/settings.ts):
 *   none   (the default) nothing: every well-formed id answers alike, existing or not. Lot ids are short
 *          and often sequential, so telling which exist would let anyone count an enterprise's lots;
 *          a label is read by whoever stands near the goods.
 *   exists that the lot exists (an unknown id answers 404).
 *   state  also its state now and its custodian organisation; never quantities, owner or documents.
 */
export type PublicLotPart = "none" | "exists" | "state";
export const PUBLIC_LOT_PARTS: readonly PublicLotPart[] = ["none", "exists", "state"];

export function isPublicLotPart(value: string): value is PublicLotPart {
  return (PUBLIC_LOT_PARTS as readonly string[]).includes(value);
}

export interface LotResolverRoutes {
  db: Kysely<Database>;
  tokens: TokenVerifier;
  publicPart: PublicLotPart;
  logError: (error: unknown) => void;
}

export const LINKSET_TYPE = "application/linkset+json";
const PREFIX = "/lot/";
const GS1 = "https://gs1.org/voc/";
/** A lot id on the ledger: printable ASCII, at most 31 bytes (domain/validate.ts). */
const LOT_ID = /^[\x21-\x7e]{1,31}$/;

interface Link {
  href: string;
  title: string;
  type?: string;
  /** Extension target attributes (RFC 9264 4.2.4.3): the public facts, machine-readable. */
  [attribute: string]: string | string[] | undefined;
}
type Linkset = Record<string, Link[]>;

/** Answers /lot/<id>; false for any other path. */
export async function serveLotResolver(request: IncomingMessage, response: ServerResponse, routes: LotResolverRoutes): Promise<boolean> {
  const url = new URL(request.url ?? "/", "http://localhost");
  if (!url.pathname.startsWith(PREFIX)) return false;
  const headers = { "cache-control": "no-store", vary: "Accept, Authorization", "x-content-type-options": "nosniff" };
  const refuse = (status: number, code: string, message: string) => {
    const body = JSON.stringify({ error: { code, message } });
    response.writeHead(status, { ...headers, "content-type": "application/json", ...(status === 405 ? { allow: "GET, HEAD" } : {}) });
    response.end(request.method === "HEAD" ? undefined : body);
    return true;
  };
  try {
    if (request.method !== "GET" && request.method !== "HEAD") return refuse(405, "METHOD_NOT_ALLOWED", "the resolver answers GET (or HEAD)");
    let id: string;
    try {
      id = decodeURIComponent(url.pathname.slice(PREFIX.length));
    } catch {
      return refuse(400, "BAD_REQUEST", "a lot is named by its id, URL-encoded: /lot/<id>");
    }
    if (!LOT_ID.test(id)) return refuse(400, "BAD_REQUEST", "a lot id is 1 to 31 printable ASCII characters");
    const linkset = await linksetFor(request, id, routes);
    if (linkset === undefined) return refuse(404, "NOT_FOUND", `no lot ${id} is known to this resolver`);
    const self = `${PREFIX}${encodeURIComponent(id)}`;
    const linkType = url.searchParams.get("linkType");
    if (linkType === "all" || (linkType === null && accepts(request, LINKSET_TYPE))) {
      const body = JSON.stringify({ linkset: [{ anchor: self, ...linkset }] });
      response.writeHead(200, { ...headers, "content-type": LINKSET_TYPE });
      response.end(request.method === "HEAD" ? undefined : body);
      return true;
    }
    const relation = linkType === null ? `${GS1}defaultLink` : linkType.startsWith("gs1:") ? `${GS1}${linkType.slice(4)}` : linkType;
    const target = linkset[relation]?.[0];
    if (target === undefined) return refuse(404, "NOT_FOUND", `no ${linkType} link for this lot that you may follow`);
    response.writeHead(307, { ...headers, location: target.href, link: `<${self}?linkType=all>; rel="linkset"; type="${LINKSET_TYPE}"` });
    response.end();
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === "UNAUTHENTICATED") return refuse(401, "UNAUTHENTICATED", error.message);
    routes.logError(error);
    return refuse(500, "INTERNAL", "the server failed to answer; the failure is in its log");
  }
  return true;
}

/** The links the caller may follow; undefined when the answer is "not found" (an unknown lot, where existence may be told). */
async function linksetFor(request: IncomingMessage, id: string, routes: LotResolverRoutes): Promise<Linkset | undefined> {
  const { visibility, loaders } = await requestCaller(routes.db, routes.tokens, request.headers.authorization ?? null);
  const scanPage: Link = { href: `/lot-scan.html?id=${encodeURIComponent(id)}`, title: `Lot ${id}`, type: "text/html" };
  // With nothing public, the store is not even read for a caller without a token: every id answers alike.
  if (visibility === null && routes.publicPart === "none") return { [`${GS1}defaultLink`]: [scanPage] };
  const lot = await loaders.lot.load(id);
  if (lot !== undefined && visibility?.viewer.canSeeLot(lot)) {
    const page: Link = { href: `/lot.html?id=${encodeURIComponent(id)}`, title: `Trace of lot ${id}`, type: "text/html" };
    const events: Link = {
      href: `/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(lotId(id))}`,
      title: `EPCIS events of lot ${id}`,
      type: "application/ld+json",
    };
    const known = await loaders.documents(await documentHashesOfLot(routes.db, id));
    const seen = await Promise.all(known.map((document) => visibility.canSeeDocument(document)));
    const verdicts = known
      .filter((_document, index) => seen[index])
      .map(
        (document): Link => ({ href: `/verify.html?hash=${document.hash}`, title: `${document.kind} ${document.id}: ${document.status}`, type: "text/html" }),
      );
    return {
      [`${GS1}defaultLink`]: [page],
      [`${GS1}traceability`]: [page, events],
      [`${GS1}epcis`]: [events],
      ...(verdicts.length === 0 ? {} : { [`${GS1}certificationInfo`]: verdicts }),
    };
  }
  // The public part, the same for a signed-in caller who may not see the lot as for an anonymous one.
  if (routes.publicPart === "none") return { [`${GS1}defaultLink`]: [scanPage] };
  if (lot === undefined) return undefined;
  const facts = routes.publicPart === "state" ? { "tracegate-state": [lot.state], "tracegate-custodian": [lot.custodian] } : {};
  return { [`${GS1}defaultLink`]: [{ ...scanPage, "tracegate-exists": ["true"], ...facts }] };
}

function accepts(request: IncomingMessage, type: string): boolean {
  return (request.headers.accept ?? "").split(",").some((part) => part.split(";")[0]!.trim().toLowerCase() === type);
}
