/**
 * Who a request comes from, for every entry point (GraphQL and the EPCIS REST bindings alike): the
 * viewer its bearer token proves, with per-request loaders whose event reads are already cut down to
 * what that viewer may see, and the visibility rule itself.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../indexer/store/index.js";
import { Loaders } from "../loaders.js";
import { facilitiesOperatedBy } from "../read/dwell.js";
import type { TokenVerifier } from "./tokens.js";
import type { Viewer } from "./viewer.js";
import { Visibility } from "./visibility.js";

export interface RequestCaller {
  /** Null when the request carried no token. */
  viewer: Viewer | null;
  /** Null without a viewer: every event then reads as hidden. */
  visibility: Visibility | null;
  loaders: Loaders;
}

/** Throws the API's UNAUTHENTICATED error for a token that does not verify. */
export async function requestCaller(db: Kysely<Database>, tokens: TokenVerifier, authorization: string | null): Promise<RequestCaller> {
  let visibility: Visibility | null = null;
  // Events read for a request are cut down to what its caller may see (nothing without a caller).
  const loaders = new Loaders(db, async (records) => (visibility === null ? [] : visibility.shownEvents(records)));
  const viewer = await tokens.viewerFor(authorization, (id) => loaders.organisation.load(id));
  if (viewer !== null) {
    // The registration may have come from the verifier's memory: the request's reads take it from there too.
    loaders.organisation.prime(viewer.org, { id: viewer.org, kind: viewer.kind });
    await loadFacilities(db, viewer);
  }
  visibility = viewer === null ? null : new Visibility(viewer, loaders);
  return { viewer, visibility, loaders };
}

/** The facilities a warehouse viewer's organisation operates now (the lots sealed for them are its to see); others need none. */
export async function loadFacilities(db: Kysely<Database>, viewer: Viewer): Promise<void> {
  if (viewer.audience === "warehouse") viewer.facilities = new Set(await facilitiesOperatedBy(db, viewer.org));
}
