/** Relay connections over the read layer's pages, with cursors that are the list's own keys. */
import { resolveCursorConnection, type DefaultConnectionArguments, type ResolveCursorConnectionArgs } from "@pothos/plugin-relay";
import { badInput } from "../errors.js";
import type { Page } from "../read/page.js";
import type { builder } from "./builder.js";

const MAX_PAGE = 100;

export interface CursorKey<T, K> {
  toCursor(node: T): string;
  parse(cursor: string): K;
}

export interface ConnectionPage<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { startCursor?: string | null; endCursor?: string | null; hasPreviousPage: boolean; hasNextPage: boolean };
}

export async function connection<T, K>(
  args: DefaultConnectionArguments,
  key: CursorKey<T, K>,
  fetch: (page: Page<K>) => Promise<T[]>,
): Promise<ConnectionPage<T>> {
  const page = await resolveCursorConnection(
    { args, toCursor: key.toCursor, maxSize: MAX_PAGE },
    ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
      fetch({ after: after === undefined ? undefined : key.parse(after), before: before === undefined ? undefined : key.parse(before), limit, inverted }),
  );
  return page as ConnectionPage<T>;
}

/** Cursors of lists ordered by a text key (lot ids, document hashes). */
export function textKey<T>(keyOf: (node: T) => string): CursorKey<T, string> {
  return { toCursor: keyOf, parse: (cursor) => cursor };
}

/** Cursors of lists ordered by event id. */
export function eventKey<T>(idOf: (node: T) => bigint): CursorKey<T, bigint> {
  return {
    toCursor: (node) => idOf(node).toString(),
    parse: (cursor) => {
      if (!/^[0-9]{1,19}$/.test(cursor)) throw badInput(`${JSON.stringify(cursor)} is not a cursor of this list`);
      return BigInt(cursor);
    },
  };
}

/** A page whose total is counted only if the query asks for `totalCount`: a count reads every match, so it grows with the store. */
export type CountedPage<T> = ConnectionPage<T> & { countAll(): Promise<number> };

export function counted<T>(page: ConnectionPage<T>, countAll: () => Promise<number>): CountedPage<T> {
  return { ...page, countAll };
}

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The connection type of pages that come from `counted`: its name, and `totalCount` counted on demand. */
export function countedConnection(name: string, description: string) {
  return {
    name,
    // Generic in the connection's shape, which Pothos gives each connection type; its pages are counted ones.
    fields: <Shape>(c: PothosSchemaTypes.ObjectFieldBuilder<Types, Shape>) => ({
      totalCount: c.int({ description, resolve: (page) => (page as CountedPage<unknown>).countAll() }),
    }),
  };
}
