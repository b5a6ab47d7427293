/**
 * PostgreSQL reads as named prepared statements (indexer/store/prepared-reads.ts): which texts are named,
 * that a real server keeps them per connection, and that a migration changing a table under a prepared
 * `select *` costs nothing but a new preparation.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "../../indexer/store/postgres.js";
import { MAX_PREPARED, MAX_PREPARED_PARAMETERS, PreparedReads } from "../../indexer/store/prepared-reads.js";
import type { Store } from "../../indexer/store/index.js";
import { startPostgres, type PostgresServer } from "../../scripts/harness/postgres-server.js";

describe("which reads are prepared", () => {
  it("names reads with short parameter lists, one name per text, never reused", () => {
    const reads = new PreparedReads();
    const name = reads.nameOf('select "id" from "lots" where "id" = $1', 1);
    expect(name).toBeDefined();
    expect(reads.nameOf('select "id" from "lots" where "id" = $1', 1)).toBe(name);
    expect(reads.nameOf('  SELECT * from "events" where "id" in ($1, $2)', 2)).not.toBe(name);
    reads.forget('select "id" from "lots" where "id" = $1');
    const renamed = reads.nameOf('select "id" from "lots" where "id" = $1', 1);
    expect(renamed).toBeDefined();
    expect(renamed).not.toBe(name);
  });

  it("leaves writes, long parameter lists and texts past the limit unnamed", () => {
    const reads = new PreparedReads();
    expect(reads.nameOf('insert into "lots" ("id") values ($1)', 1)).toBeUndefined();
    expect(reads.nameOf('update "lots" set "state" = $1', 1)).toBeUndefined();
    expect(reads.nameOf("with recursive t as (select 1) select * from t", 0)).toBeUndefined();
    expect(reads.nameOf("selector", 0)).toBeUndefined();
    expect(reads.nameOf('select * from "lots" where "id" in (…)', MAX_PREPARED_PARAMETERS + 1)).toBeUndefined();
    for (let index = 0; index < MAX_PREPARED; index++) expect(reads.nameOf(`select ${index}`, 0)).toBeDefined();
    expect(reads.nameOf("select 'one too many'", 0)).toBeUndefined();
    expect(reads.nameOf("select 0", 0)).toBeDefined();
  });
});

describe("on a real server", () => {
  let server: PostgresServer;
  let store: Store;
  beforeAll(async () => {
    server = await startPostgres();
    store = openPostgres(server.url);
    await sql`create table probe (id int primary key, label text)`.execute(store.db);
    await sql`insert into probe values (1, 'one'), (2, 'two')`.execute(store.db);
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it("prepares a read once per connection and answers from it with each call's parameters", async () => {
    await store.db.connection().execute(async (connection) => {
      const label = async (id: number) =>
        (await connection
          .selectFrom("probe" as never)
          .select("label" as never)
          .where("id" as never, "=", id as never)
          .executeTakeFirst()) as { label: string } | undefined;
      expect(await label(1)).toEqual({ label: "one" });
      expect(await label(2)).toEqual({ label: "two" });
      expect(await label(3)).toBeUndefined();
      const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements where name like 'tracegate_read_%'`.execute(connection);
      expect(rows.filter((row) => row.statement.includes('from "probe"'))).toHaveLength(1);
    });
  });

  it("reads on after a migration changes the table under a prepared select *", async () => {
    await store.db.connection().execute(async (connection) => {
      const all = () => sql<Record<string, unknown>>`select * from probe order by id`.execute(connection);
      expect((await all()).rows[0]).toEqual({ id: 1, label: "one" });
      // Another connection migrates: PostgreSQL refuses the old plan, whose result had two columns.
      await store.db.connection().execute((other) => sql`alter table probe add column origin text default 'VN'`.execute(other));
      expect((await all()).rows[0]).toEqual({ id: 1, label: "one", origin: "VN" });
      expect((await all()).rows[1]).toEqual({ id: 2, label: "two", origin: "VN" });
    });
  });
});
