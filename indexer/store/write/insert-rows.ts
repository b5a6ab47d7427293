/**
 * Bulk inserts.
 *
 * SQLite: rows go in multi-row INSERTs of a few fixed sizes (a large power of two, then the binary
 * digits of the rest), and each size is compiled by Kysely once and then reused with new parameters:
 * building a query of thousands of values costs more than SQLite takes to run it, and a repeated
 * statement text is a prepared statement SQLite already holds.
 *
 * PostgreSQL: one INSERT … SELECT FROM unnest(column arrays), one array parameter per column, whatever
 * the number of rows: the server parses a short statement instead of tens of thousands of placeholders.
 * Measured on the 200,000-event ingest: 1.1-1.3x multi-row VALUES in alternated runs, but within this
 * shared machine's run-to-run noise in `npm run bench` (8,343 events/s, in the earlier 7,200-9,700 range).
 */
import { CompiledQuery, sql, type Compilable, type InsertObject, type InsertQueryBuilder, type InsertResult, type Kysely } from "kysely";
import type { Database } from "../schema.js";

/** Bound parameters per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535). */
const PARAMETERS_PER_STATEMENT = 30_000;

/** How an INSERT ends (ON CONFLICT, RETURNING), named: the name is part of the compiled statement's key. */
export interface InsertEnding<T extends keyof Database> {
  name: string;
  finish(query: InsertQueryBuilder<Database, T, InsertResult>): Compilable<unknown>;
}

interface Template {
  sql: string;
  /** For each parameter of the statement, which value: row × columns + column; null when they are all in that order. */
  slots: number[] | null;
}

const templates = new Map<string, Template>();

/** Inserts `rows` (all with the same columns, in the same order); returns what the ending's RETURNING gives. */
export async function insertRows<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  rows: ReadonlyArray<InsertObject<Database, T>>,
  ending?: InsertEnding<T>,
): Promise<unknown[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]!);
  if (isPostgres(db)) return insertUnnested(db, table, rows as ReadonlyArray<Record<string, unknown>>, columns, ending);
  const values = rowMajor(rows as ReadonlyArray<Record<string, unknown>>, columns);
  const returned: unknown[] = [];
  let start = 0;
  for (const size of statementSizes(rows.length, columns.length)) {
    const template = templateFor(db, table, columns, size, ending);
    const offset = start * columns.length;
    const parameters = template.slots === null ? values.slice(offset, offset + size * columns.length) : template.slots.map((slot) => values[offset + slot]);
    const result = await db.executeQuery(CompiledQuery.raw(template.sql, parameters));
    for (const row of result.rows) returned.push(row);
    start += size;
  }
  return returned;
}

/** Every row's values, column by column, in one array (one pass: the rows all have the same shape). */
function rowMajor(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): unknown[] {
  const values = new Array<unknown>(rows.length * columns.length);
  let next = 0;
  for (const row of rows) for (const column of columns) values[next++] = row[column];
  return values;
}

/** The placeholder style (? or $1) of a dialect, which tells the engines apart; per adapter, which transactions share. */
const dialects = new WeakMap<object, string>();

function dialectOf(db: Kysely<Database>): string {
  const { adapter } = db.getExecutor();
  let dialect = dialects.get(adapter);
  if (dialect === undefined) {
    dialect = db.selectFrom("chains").select("number").where("number", "=", 0n).compile().sql;
    dialects.set(adapter, dialect);
  }
  return dialect;
}

function isPostgres(db: Kysely<Database>): boolean {
  return dialectOf(db).includes("$1");
}

function templateFor<T extends keyof Database & string>(db: Kysely<Database>, table: T, columns: string[], size: number, ending?: InsertEnding<T>): Template {
  const key = JSON.stringify([dialectOf(db), table, columns, size, ending?.name]);
  let template = templates.get(key);
  if (template === undefined) {
    // Compile with each value standing for its own slot, then read the slots off the parameters.
    const values = Array.from({ length: size }, (_, row) => Object.fromEntries(columns.map((column, index) => [column, row * columns.length + index])));
    const query = db.insertInto(table).values(values as unknown as Array<InsertObject<Database, T>>);
    const compiled = (ending ? ending.finish(query) : query).compile();
    const slots = compiled.parameters.map((parameter) => {
      if (typeof parameter !== "number") throw new Error(`an insert into ${table} binds ${String(parameter)}, which is no row value`);
      return parameter;
    });
    template = { sql: compiled.sql, slots: slots.every((slot, index) => slot === index) ? null : slots };
    templates.set(key, template);
  }
  return template;
}

/** Statement sizes for `count` rows: the largest power of two that fits, as often as it fits, then the rest's binary digits. */
function statementSizes(count: number, columns: number): number[] {
  const largest = 2 ** Math.floor(Math.log2(Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / columns))));
  const sizes: number[] = [];
  let rest = count;
  while (rest >= largest) {
    sizes.push(largest);
    rest -= largest;
  }
  for (let size = largest / 2; size >= 1; size /= 2) {
    if (rest >= size) {
      sizes.push(size);
      rest -= size;
    }
  }
  return sizes;
}

/** `items` in slices that each bind at most the parameters one statement may, at `parametersPerItem` each. */
export function chunks<R>(items: readonly R[], parametersPerItem = 1): R[][] {
  const size = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / parametersPerItem));
  const result: R[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** Each table's column types as PostgreSQL names them (bigint, text, numeric): the arrays' casts. */
const columnTypes = new Map<string, Map<string, string>>();

async function typesOf(db: Kysely<Database>, table: string): Promise<Map<string, string>> {
  let types = columnTypes.get(table);
  if (types === undefined) {
    const { rows } = await sql<{ column_name: string; data_type: string }>`
      select column_name, data_type from information_schema.columns where table_schema = current_schema() and table_name = ${table}`.execute(db);
    types = new Map(rows.map(({ column_name, data_type }) => [column_name, data_type]));
    columnTypes.set(table, types);
  }
  return types;
}

async function insertUnnested<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  rows: ReadonlyArray<Record<string, unknown>>,
  columns: string[],
  ending?: InsertEnding<T>,
): Promise<unknown[]> {
  const types = await typesOf(db, table);
  const arrays = columns.map((column) => {
    const type = types.get(column);
    if (type === undefined) throw new Error(`the store's table ${table} has no column ${column}: is its schema up to date (migrations run by openStore)?`);
    return sql`${rows.map((row) => row[column])}::${sql.raw(type)}[]`;
  });
  // Kysely types columns() and expression() per table; the rows were typed by the caller.
  const query = db
    .insertInto(table)
    .columns(columns as never)
    .expression(sql`select * from unnest(${sql.join(arrays)})` as never);
  return (await db.executeQuery((ending ? ending.finish(query) : query).compile())).rows;
}
