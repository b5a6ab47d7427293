/**
 * A logical dump of the store: every table's rows in primary-key order, so that two stores (or the
 * two engines) hold the same data exactly when their dumps — or the dumps' hashes — are equal. Rows
 * are sorted here rather than by SQL, whose text order depends on the engine's collation.
 */
import { createHash } from "node:crypto";
import type { Store } from "./engine.js";
import { TABLE_KEYS, type Database } from "./schema.js";

type Row = Record<string, unknown>;

function compareBy(keys: readonly string[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const key of keys) {
      const [x, y] = [a[key] as bigint | string, b[key] as bigint | string];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

/** A value as text: bigints as digits, strings quoted (JSON), null as null. */
function text(value: unknown): string {
  return typeof value === "bigint" ? value.toString() : JSON.stringify(value);
}

/** The dump of every table, or of every table but those in `except`. */
export async function dumpStore(store: Store, except: ReadonlyArray<keyof Database> = []): Promise<string> {
  const lines: string[] = [];
  for (const [table, keys] of Object.entries(TABLE_KEYS) as Array<[keyof Database, readonly string[]]>) {
    if (except.includes(table)) continue;
    const rows = (await store.db.selectFrom(table).selectAll().execute()) as Row[];
    lines.push(`# ${table}`);
    for (const row of rows.sort(compareBy(keys))) {
      lines.push(
        Object.keys(row)
          .sort()
          .map((column) => `${column}=${text(row[column])}`)
          .join("\t"),
      );
    }
  }
  return lines.join("\n");
}

export async function dumpHash(store: Store): Promise<string> {
  return createHash("sha256")
    .update(await dumpStore(store))
    .digest("hex");
}
