/** One page of a list in key order, as Relay cursor pagination asks for it (inverted: from the end). */
import type { SelectQueryBuilder, StringReference } from "kysely";

export interface Page<K> {
  after?: K;
  before?: K;
  limit: number;
  inverted: boolean;
}

export function paged<DB, TB extends keyof DB, O, K>(
  query: SelectQueryBuilder<DB, TB, O>,
  key: StringReference<DB, TB>,
  page: Page<K>,
): SelectQueryBuilder<DB, TB, O> {
  let result = query;
  // Kysely cannot tie the key's column type to K: the values are the key's own cursors.
  if (page.after !== undefined) result = result.where(key, ">", page.after as never);
  if (page.before !== undefined) result = result.where(key, "<", page.before as never);
  return result.orderBy(key, page.inverted ? "desc" : "asc").limit(page.limit);
}

/** How many rows `query` matches, whatever it selects: the total a connection's pages go through. */
export async function countRows<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): Promise<number> {
  // Kysely cannot narrow the result over a generic query: it is the one column selected here.
  const row = (await query
    .clearSelect()
    .select((eb) => eb.fn.countAll().as("count"))
    .executeTakeFirstOrThrow()) as { count: bigint | number | string };
  return Number(row.count);
}
