/**
 * The store's schema, one set of migrations for both engines. Where the engines differ it is in the
 * name of a type (see schema.ts) and in SQLite's WITHOUT ROWID, which stores a table in its primary
 * key's order (the order every table here is read and deleted in).
 */
import { sql, type CreateTableBuilder, type Kysely, type RawBuilder } from "kysely";
import { Migrator, type Migration } from "kysely/migration";
import type { CustodyActionType } from "../../domain/index.js";
import type { Engine } from "./engine.js";
import type { Database } from "./schema.js";
import { eventsById } from "./read/events.js";
import { rebuildFindings } from "../findings/apply.js";
import { fillClosings, rebuildBalances } from "./write/balances.js";
import { documentKindsFor, epcisKey, fullEventHash } from "./write/epcis-ids.js";
import { countStays } from "./write/stay-durations.js";
import { txKey } from "./write/tx-keys.js";

/**
 * Every migration by name, in order. Exported so a test can run one migration's `up` on a store made to
 * look as the migrations before it left it, without rewriting the migrator's records.
 */
export function migrations(engine: Engine): Record<string, Migration> {
  const int64 = engine === "sqlite" ? "integer" : "bigint";
  const quantity = engine === "sqlite" ? "text" : sql`numeric(78, 0)`;
  const clustered = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    engine === "sqlite" ? table.modifyEnd(sql`without rowid`) : table;
  /** The domain Lot's fields, shared by the current state (lots) and the history (lot_transitions). */
  const lotColumns = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    table
      .addColumn("material", "text", (c) => c.notNull())
      .addColumn("hs_code", "text", (c) => c.notNull())
      .addColumn("unit", "text", (c) => c.notNull())
      .addColumn("quantity", quantity, (c) => c.notNull())
      .addColumn("owner", "text", (c) => c.notNull())
      .addColumn("custodian", "text", (c) => c.notNull())
      .addColumn("location", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("prior_state", "text", (c) => c.notNull())
      .addColumn("direction", "text", (c) => c.notNull())
      .addColumn("preference_claimed", int64, (c) => c.notNull())
      .addColumn("permit_required", int64, (c) => c.notNull())
      .addColumn("declaration", "text");

  return {
    "0001_store": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("chains")
          .addColumn("number", int64, (c) => c.primaryKey())
          .addColumn("id", "text", (c) => c.notNull().unique())
          .addColumn("block_number", int64, (c) => c.notNull())
          .addColumn("block_hash", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createTable("blocks")
          .addColumn("number", int64, (c) => c.primaryKey())
          .addColumn("hash", "text", (c) => c.notNull())
          .addColumn("parent_hash", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createTable("events")
          .addColumn("id", int64, (c) => c.primaryKey())
          .addColumn("chain", int64, (c) => c.notNull())
          .addColumn("block_number", int64, (c) => c.notNull())
          .addColumn("tx_hash", "text", (c) => c.notNull())
          .addColumn("event_index", int64, (c) => c.notNull())
          .addColumn("time", int64, (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("lot", "text")
          .addColumn("actor", "text")
          .addColumn("facility", "text")
          .addColumn("payload", "text", (c) => c.notNull())
          .addUniqueConstraint("events_position", ["chain", "tx_hash", "event_index"])
          .execute();
        await lotColumns(db.schema.createTable("lots").addColumn("id", "text", (c) => c.primaryKey()))
          .addColumn("last_event", int64, (c) => c.notNull())
          .addColumn("stage_since", int64, (c) => c.notNull())
          .addColumn("stage_event", int64, (c) => c.notNull())
          .execute();
        await db.schema.createIndex("lots_owner").on("lots").columns(["owner", "material"]).execute();
        await db.schema.createIndex("lots_custodian").on("lots").column("custodian").execute();
        await db.schema.createIndex("lots_location").on("lots").columns(["location", "state"]).execute();
        await clustered(
          lotColumns(
            db.schema
              .createTable("lot_transitions")
              .addColumn("event_id", int64, (c) => c.notNull())
              .addColumn("position", int64, (c) => c.notNull())
              .addColumn("lot", "text", (c) => c.notNull())
              .addColumn("from_state", "text", (c) => c.notNull()),
          ).addPrimaryKeyConstraint("lot_transitions_key", ["event_id", "position"]),
        ).execute();
        // A lot's history, in order.
        await db.schema.createIndex("lot_transitions_lot").on("lot_transitions").columns(["lot", "event_id"]).execute();
        await clustered(
          db.schema
            .createTable("stage_stays")
            .addColumn("lot", "text", (c) => c.notNull())
            .addColumn("entered_event", int64, (c) => c.notNull())
            .addColumn("state", "text", (c) => c.notNull())
            .addColumn("facility", "text", (c) => c.notNull())
            .addColumn("entered_at", int64, (c) => c.notNull())
            .addColumn("left_at", int64, (c) => c.notNull())
            .addColumn("duration", int64, (c) => c.notNull())
            .addColumn("left_event", int64, (c) => c.notNull())
            .addPrimaryKeyConstraint("stage_stays_key", ["lot", "entered_event"]),
        ).execute();
        // Dwell time per stage and facility: percentiles read this index in duration order.
        await db.schema.createIndex("stage_stays_dwell").on("stage_stays").columns(["state", "facility", "duration"]).execute();
        await clustered(
          db.schema
            .createTable("lineage")
            .addColumn("event_id", int64, (c) => c.notNull())
            .addColumn("parent", "text", (c) => c.notNull())
            .addColumn("child", "text", (c) => c.notNull())
            .addColumn("kind", "text", (c) => c.notNull())
            .addColumn("quantity", quantity, (c) => c.notNull())
            .addPrimaryKeyConstraint("lineage_key", ["event_id", "parent", "child"]),
        ).execute();
        await db.schema.createIndex("lineage_parent").on("lineage").column("parent").execute();
        await db.schema.createIndex("lineage_child").on("lineage").column("child").execute();
        await clustered(
          db.schema
            .createTable("material_balances")
            .addColumn("enterprise", "text", (c) => c.notNull())
            .addColumn("material", "text", (c) => c.notNull())
            .addColumn("day", int64, (c) => c.notNull())
            .addColumn("received", quantity, (c) => c.notNull())
            .addColumn("consumed", quantity, (c) => c.notNull())
            .addColumn("destroyed", quantity, (c) => c.notNull())
            .addColumn("events", int64, (c) => c.notNull())
            .addPrimaryKeyConstraint("material_balances_key", ["enterprise", "material", "day"]),
        ).execute();
        await db.schema
          .createTable("documents")
          .addColumn("hash", "text", (c) => c.primaryKey())
          .addColumn("id", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("cid", "text", (c) => c.notNull())
          .addColumn("issuer", "text", (c) => c.notNull())
          .addColumn("version", int64, (c) => c.notNull())
          .addColumn("supersedes", "text")
          .addColumn("superseded_by", "text")
          .addColumn("status", "text", (c) => c.notNull())
          .addColumn("anchored_at", int64, (c) => c.notNull())
          .addColumn("anchored_event", int64, (c) => c.notNull())
          .addColumn("status_event", int64)
          .execute();
        await db.schema.createIndex("documents_issuer").on("documents").columns(["issuer", "kind"]).execute();
        await clustered(
          db.schema
            .createTable("document_subjects")
            .addColumn("hash", "text", (c) => c.notNull())
            .addColumn("lot", "text", (c) => c.notNull())
            .addPrimaryKeyConstraint("document_subjects_key", ["hash", "lot"]),
        ).execute();
        await db.schema.createIndex("document_subjects_lot").on("document_subjects").column("lot").execute();
        await clustered(
          db.schema
            .createTable("event_documents")
            .addColumn("event_id", int64, (c) => c.notNull())
            .addColumn("hash", "text", (c) => c.notNull())
            .addPrimaryKeyConstraint("event_documents_key", ["event_id", "hash"]),
        ).execute();
        await db.schema.createIndex("event_documents_hash").on("event_documents").column("hash").execute();
        await db.schema
          .createTable("organisations")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("event_id", int64, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable("facilities")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("operator", "text", (c) => c.notNull())
          .addColumn("event_id", int64, (c) => c.notNull())
          .execute();
      },
    },
    // The audit API's reads of events: one organisation's trail (actor), batches, norms and exports
    // (kind), periods (time). The API used to add them itself at start; stores where it did get them
    // under the new names.
    "0002_events_by_actor_kind_time": {
      async up(db: Kysely<unknown>) {
        for (const column of ["actor", "kind", "time"]) {
          await db.schema.dropIndex(`api_events_${column}`).ifExists().execute();
          await db.schema.createIndex(`events_${column}`).on("events").columns([column, "id"]).execute();
        }
      },
    },
    // Auditors look for the transforms that deviated from their norm across a whole period. Until now
    // that was only in the payload; the backfill reads it there: `"flagged":true` is a custody
    // payload's own key (inside any JSON string a quote would be escaped).
    "0003_events_flagged": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable("events")
          .addColumn("flagged", int64, (c) => c.notNull().defaultTo(0))
          .execute();
        await sql`update events set flagged = 1 where payload like ${'%"flagged":true%'}`.execute(db);
        await db.schema.createIndex("events_flagged").on("events").columns(["flagged", "id"]).execute();
      },
    },
    // Reconciliation judges consumption against what the norms allow for the products made, from
    // the day buckets: each bucket also sums its transforms' allowance and their excess over it
    // (domain NormUse). The buckets are rebuilt from the stored events, on both engines alike.
    "0004_balances_norm_use": {
      async up(db: Kysely<unknown>) {
        for (const column of ["allowed", "over_consumed", "over_allowed"]) {
          await db.schema
            .alterTable("material_balances")
            .addColumn(column, quantity, (c) => c.notNull().defaultTo(0))
            .execute();
        }
        // The rebuild writes today's buckets, which carry their closing stock (0014) too.
        await db.schema
          .alterTable("material_balances")
          .addColumn("closing", quantity, (c) => c.notNull().defaultTo(0))
          .execute();
        await rebuildBalances(db as Kysely<Database>);
      },
    },
    // EPCIS capture: the node's own record of the jobs it took and of each event id it applied, so that
    // an event sent again (a retry, a resent job, a restart mid-job) is a duplicate, never applied twice.
    // Not a projection of the ledger: a rebuilt store starts with an empty record.
    "0005_capture": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("capture_jobs")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("org", "text", (c) => c.notNull())
          .addColumn("role", "text", (c) => c.notNull())
          .addColumn("error_behaviour", "text", (c) => c.notNull())
          .addColumn("state", "text", (c) => c.notNull())
          .addColumn("created_at", int64, (c) => c.notNull())
          .addColumn("finished_at", int64)
          .addColumn("event_count", int64, (c) => c.notNull())
          .execute();
        await db.schema.createIndex("capture_jobs_running").on("capture_jobs").columns(["state", "created_at"]).execute();
        await clustered(
          db.schema
            .createTable("captured_events")
            .addColumn("job", "text", (c) => c.notNull())
            .addColumn("position", int64, (c) => c.notNull())
            .addColumn("org", "text", (c) => c.notNull())
            .addColumn("event_id", "text", (c) => c.notNull())
            .addColumn("action", "text")
            .addColumn("status", "text", (c) => c.notNull())
            .addColumn("part", int64)
            .addColumn("code", "text")
            .addColumn("reason", "text")
            .addColumn("tx_hash", "text")
            .addColumn("ordinal", int64)
            .addPrimaryKeyConstraint("captured_events_key", ["job", "position"]),
        ).execute();
        // At most one accepted event per organisation and event id, whatever the node does: the
        // exactly-once guard. Per organisation: another's ids must neither block nor reveal anything.
        await db.schema
          .createIndex("captured_events_accepted")
          .on("captured_events")
          .columns(["org", "event_id"])
          .unique()
          .where(sql.ref("status"), "=", "accepted")
          .execute();
        await db.schema.createIndex("captured_events_by_id").on("captured_events").columns(["event_id", "status"]).execute();
        await db.schema.createIndex("captured_events_by_tx").on("captured_events").columns(["tx_hash", "ordinal"]).execute();
        await clustered(
          db.schema
            .createTable("capture_sends")
            .addColumn("job", "text", (c) => c.notNull())
            .addColumn("part", int64, (c) => c.notNull())
            .addColumn("attempt", int64, (c) => c.notNull())
            .addColumn("tx_id", "text", (c) => c.notNull())
            .addColumn("raw", "text")
            .addPrimaryKeyConstraint("capture_sends_key", ["job", "part", "attempt"]),
        ).execute();
      },
    },
    // EPCIS: one eventID per event whoever asks. The hash of each custody event whole, kept where the
    // indexer writes it for new events (write/epcis-ids.ts), so an id can be looked up; a captured
    // event's id is found by its transaction (captured_events.tx_hash); facility (EQ_bizLocation,
    // EQ_readPoint) is selective enough to need its own index.
    "0006_epcis_event_ids": {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("events").addColumn("epcis_hash", "text").execute();
        await fillEpcisHashes(db as Kysely<Database>);
        await db.schema.createIndex("events_epcis_hash").on("events").column("epcis_hash").execute();
        await db.schema.createIndex("events_tx").on("events").columns(["tx_hash", "event_index"]).execute();
        await db.schema.createIndex("events_facility").on("events").columns(["facility", "id"]).execute();
      },
    },
    // Risk findings (indexer/findings/), kept with the events they come from.
    "0007_findings": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("findings")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("severity", int64, (c) => c.notNull())
          .addColumn("rank", "text", (c) => c.notNull())
          .addColumn("subject_kind", "text", (c) => c.notNull())
          .addColumn("subject", "text", (c) => c.notNull())
          .addColumn("enterprise", "text")
          .addColumn("lot", "text")
          .addColumn("facility", "text")
          .addColumn("document", "text")
          .addColumn("time", int64, (c) => c.notNull())
          .addColumn("event_id", int64, (c) => c.notNull())
          .addColumn("scope", "text")
          .addColumn("explanation", "text", (c) => c.notNull())
          .addColumn("evidence", "text", (c) => c.notNull())
          .execute();
        await db.schema.createIndex("findings_rank").on("findings").column("rank").execute();
        await db.schema.createIndex("findings_enterprise").on("findings").columns(["enterprise", "rank"]).execute();
        await db.schema.createIndex("findings_lot").on("findings").column("lot").execute();
        await db.schema.createIndex("findings_scope").on("findings").column("scope").execute();
        await db.schema.createIndex("findings_event").on("findings").column("event_id").execute();
        // Findings read the lots waiting in one state for longest (goods released and not received).
        await db.schema.createIndex("lots_state").on("lots").columns(["state", "stage_since"]).execute();
        // A store indexed before findings gets them in 0008, once the stay counts they read are there.
      },
    },
    // Findings judge every stay against its facility-stage's median and p95, after each batch: counts
    // per duration bucket find those without walking the facility-stage's whole history. Then a
    // store indexed before findings gets them computed from its events, with the default thresholds.
    "0008_stay_durations": {
      async up(db: Kysely<unknown>) {
        await clustered(
          db.schema
            .createTable("stay_durations")
            .addColumn("state", "text", (c) => c.notNull())
            .addColumn("facility", "text", (c) => c.notNull())
            .addColumn("bucket", int64, (c) => c.notNull())
            .addColumn("stays", int64, (c) => c.notNull())
            .addPrimaryKeyConstraint("stay_durations_key", ["state", "facility", "bucket"]),
        ).execute();
        await countStoredStays(db as Kysely<Database>);
        await rebuildFindings(db as Kysely<Database>);
      },
    },
    // Random keys dirty a page per inserted row, and a 200,000-event ingest spent a third of its time
    // on two such indexes: event hashes are indexed by their first 64 bits instead of their 80
    // characters, and transactions by the unique (chain, tx_hash, event_index) that was already there.
    "0009_compact_event_indexes": {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("events").addColumn("epcis_key", int64).execute();
        await fillEpcisKeys(db as Kysely<Database>);
        await db.schema.dropIndex("events_epcis_hash").execute();
        await db.schema.dropIndex("events_tx").execute();
        await db.schema.createIndex("events_epcis_key").on("events").column("epcis_key").execute();
      },
    },
    // An event's id is its position on the one chain a store follows, so it is the key a replay is
    // skipped by; the unique (chain, tx_hash, event_index) beside it cost every insert a random step
    // into an index of 66-character hashes. Transactions are found by a 64-bit key instead
    // (write/tx-keys.ts). SQLite cannot drop a table constraint: the table is rebuilt.
    "0010_events_keyed_by_position": {
      async up(db: Kysely<unknown>) {
        const keyByTransaction = async () => {
          await fillTxKeys(db as Kysely<Database>);
          await db.schema.createIndex("events_tx_key").on("events").column("tx_key").execute();
        };
        if (engine === "postgres") {
          await db.schema
            .alterTable("events")
            .addColumn("tx_key", "bigint", (c) => c.notNull().defaultTo(0))
            .execute();
          await db.schema
            .alterTable("events")
            .alterColumn("tx_key", (c) => c.dropDefault())
            .execute();
          await db.schema.alterTable("events").dropConstraint("events_position").execute();
          await keyByTransaction();
          return;
        }
        // Kysely runs SQLite's migrations outside a transaction: the rebuild is one, or a crash could
        // leave the events in the new table only.
        await sql`savepoint events_by_position`.execute(db);
        try {
          await sql`create table events_by_position (
            id integer primary key, chain integer not null, block_number integer not null, tx_hash text not null,
            event_index integer not null, time integer not null, kind text not null, lot text, actor text, facility text,
            payload text not null, flagged integer not null default 0, epcis_hash text, epcis_key integer, tx_key integer not null)`.execute(db);
          await sql`insert into events_by_position select id, chain, block_number, tx_hash, event_index, time, kind, lot, actor, facility, payload, flagged, epcis_hash, epcis_key, 0 from events`.execute(
            db,
          );
          await db.schema.dropTable("events").execute();
          await db.schema.alterTable("events_by_position").renameTo("events").execute();
          for (const column of ["actor", "kind", "time", "flagged", "facility"]) {
            await db.schema.createIndex(`events_${column}`).on("events").columns([column, "id"]).execute();
          }
          await db.schema.createIndex("events_epcis_key").on("events").column("epcis_key").execute();
          await keyByTransaction();
          await sql`release events_by_position`.execute(db);
        } catch (error) {
          await sql`rollback to events_by_position`.execute(db);
          await sql`release events_by_position`.execute(db);
          throw error;
        }
      },
    },
    // Catching up far behind the head, the indexer drops the indexes only the API's reads need and
    // defers the findings (store/catch-up.ts): whether it is catching up, and the dropped indexes'
    // definitions to recreate them from, live in the store with the checkpoint.
    "0011_catch_up": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable("chains")
          .addColumn("catching_up", int64, (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .createTable("deferred_indexes")
          .addColumn("name", "text", (c) => c.primaryKey())
          .addColumn("definition", "text", (c) => c.notNull())
          .execute();
      },
    },
    // Transit under seal: a lot's seal, destination and deadline, in its state and its history. Every
    // lot indexed before was never in transit, as the defaults say.
    "0012_lot_transit": {
      async up(db: Kysely<unknown>) {
        for (const table of ["lots", "lot_transitions"]) {
          for (const column of ["seal", "destination"]) {
            await db.schema
              .alterTable(table)
              .addColumn(column, "text", (c) => c.notNull().defaultTo(""))
              .execute();
          }
          await db.schema
            .alterTable(table)
            .addColumn("deadline", int64, (c) => c.notNull().defaultTo(0))
            .execute();
        }
      },
    },
    // Electronic seals' device reports taken by capture (api/capture/seal-reports.ts), kept once per
    // event id, and the track segments they are anchored in (api/transit/track-anchorer.ts). A capture
    // job's report waits in captured_events.report until its part is applied.
    "0013_seal_reports": {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("captured_events").addColumn("report", "text").execute();
        await clustered(
          db.schema
            .createTable("seal_reports")
            .addColumn("org", "text", (c) => c.notNull())
            .addColumn("event_id", "text", (c) => c.notNull())
            .addColumn("seal", "text", (c) => c.notNull())
            .addColumn("time", int64, (c) => c.notNull())
            .addColumn("latitude", int64, (c) => c.notNull())
            .addColumn("longitude", int64, (c) => c.notNull())
            .addColumn("seal_closed", int64, (c) => c.notNull())
            .addColumn("alerts", "text", (c) => c.notNull())
            .addColumn("hash", "text", (c) => c.notNull())
            .addColumn("lots", "text", (c) => c.notNull())
            .addColumn("segment", "text")
            .addPrimaryKeyConstraint("seal_reports_key", ["org", "event_id"]),
        ).execute();
        await db.schema.createIndex("seal_reports_pending").on("seal_reports").columns(["segment", "seal", "time"]).execute();
        await clustered(
          db.schema
            .createTable("seal_segments")
            .addColumn("root", "text", (c) => c.primaryKey())
            .addColumn("seal", "text", (c) => c.notNull())
            .addColumn("lots", "text", (c) => c.notNull())
            .addColumn("count", int64, (c) => c.notNull())
            .addColumn("first_time", int64, (c) => c.notNull())
            .addColumn("last_time", int64, (c) => c.notNull())
            .addColumn("cid", "text")
            .addColumn("state", "text", (c) => c.notNull())
            .addColumn("tx_hash", "text"),
        ).execute();
        await db.schema.createIndex("seal_segments_open").on("seal_segments").columns(["state"]).execute();
        await clustered(
          db.schema
            .createTable("seal_segment_lots")
            .addColumn("lot", "text", (c) => c.notNull())
            .addColumn("root", "text", (c) => c.notNull())
            .addPrimaryKeyConstraint("seal_segment_lots_key", ["lot", "root"]),
        ).execute();
      },
    },
    // National scale: what a request reads must not grow with the years behind it. A reconciliation's
    // opening stock was the sum of every earlier day's bucket; each bucket now carries the stock at its
    // day's close, so the opening is one row. A store from 0004 on has the column already (its rebuild
    // writes it); one from before gets it here, computed over its buckets. An enterprise's norms are
    // found by a partial index, not among all its events.
    "0014_balance_closings": {
      async up(db: Kysely<unknown>) {
        const table = (await db.introspection.getTables()).find((candidate) => candidate.name === "material_balances");
        if (!table?.columns.some((column) => column.name === "closing")) {
          await db.schema
            .alterTable("material_balances")
            .addColumn("closing", quantity, (c) => c.notNull().defaultTo(0))
            .execute();
        }
        await fillClosings(db as Kysely<Database>);
        await sql`create index events_norms on events (actor, id) where kind = 'normRegistered'`.execute(db);
      },
    },
  };
}

/** Every stored event's transaction key, a thousand events at a time. */
async function fillTxKeys(db: Kysely<Database>): Promise<void> {
  for (let after = -1n; ; ) {
    const rows = await db.selectFrom("events").select(["id", "tx_hash"]).where("id", ">", after).orderBy("id").limit(1000).execute();
    if (rows.length === 0) return;
    await setPerEvent(
      db,
      "tx_key",
      rows.map(({ id, tx_hash }) => [id, sql`cast(${txKey(tx_hash)} as bigint)`]),
    );
    after = rows[rows.length - 1]!.id;
  }
}

/** The stays stored before stay_durations, counted (one row per distinct duration: a few thousand). */
async function countStoredStays(db: Kysely<Database>): Promise<void> {
  const rows = await db
    .selectFrom("stage_stays")
    .select((eb) => ["state", "facility", "duration", eb.fn.countAll<bigint>().as("stays")])
    .groupBy(["state", "facility", "duration"])
    .execute();
  await countStays(
    db,
    rows.map((row) => ({ ...row, stays: BigInt(row.stays) })),
    1n,
  );
}

/** Every stored hash's key, a thousand events at a time. */
async function fillEpcisKeys(db: Kysely<Database>): Promise<void> {
  for (let after = -1n; ; ) {
    const rows = await db
      .selectFrom("events")
      .select(["id", "epcis_hash"])
      .where("epcis_hash", "is not", null)
      .where("id", ">", after)
      .orderBy("id")
      .limit(1000)
      .execute();
    if (rows.length === 0) return;
    await setPerEvent(
      db,
      "epcis_key",
      rows.map(({ id, epcis_hash }) => [id, sql`cast(${epcisKey(epcis_hash!) ?? null} as bigint)`]),
    );
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * The custody actions there were when migration 0006 was written: what it hashes must not grow with
 * the list (seal, unseal and alert came after; a store that holds them was made by a later version).
 */
const CUSTODY_ACTIONS_OF_0006: readonly CustodyActionType[] = [
  "declare",
  "arrive",
  "store",
  "hold",
  "unhold",
  "clear",
  "release",
  "depart",
  "receive",
  "transform",
  "split",
  "destroy",
];

/** Every stored custody event's hash, a thousand events at a time in chain order. */
async function fillEpcisHashes(db: Kysely<Database>): Promise<void> {
  const custody = [...CUSTODY_ACTIONS_OF_0006];
  for (let after = -1n; ; ) {
    const places = await db
      .selectFrom("events")
      .select(["id", "tx_hash", "event_index", "block_number"])
      .where("kind", "in", custody)
      .where("id", ">", after)
      .orderBy("id")
      .limit(1000)
      .execute();
    if (places.length === 0) return;
    const events = await eventsById(
      db,
      places.map((row) => row.id),
    );
    const kinds = await documentKindsFor(
      db,
      events.map(({ event }) => event),
    );
    const hashes = events.map(({ id, event }, i): [bigint, RawBuilder<unknown>] => {
      const place = places[i]!;
      if (event.type !== "custody" || place.id !== id) throw new Error(`event ${id} is not the custody event the migration read`);
      return [id, sql`${fullEventHash(event, { tx: place.tx_hash, index: Number(place.event_index), block: place.block_number }, kinds)}`];
    });
    await setPerEvent(db, "epcis_hash", hashes);
    after = places[places.length - 1]!.id;
  }
}

/**
 * Sets `column` of each event to its own value, in one statement: a statement per event took 11 s for
 * 80,000 events on SQLite.
 */
async function setPerEvent(
  db: Kysely<Database>,
  column: "epcis_hash" | "epcis_key" | "tx_key",
  values: ReadonlyArray<[bigint, RawBuilder<unknown>]>,
): Promise<void> {
  const cases = values.map(([id, value]) => sql`when ${id} then ${value}`);
  await sql`update events set ${sql.ref(column)} = case id ${sql.join(cases, sql` `)} end where id in (${sql.join(values.map(([id]) => id))})`.execute(db);
}

/**
 * Brings the store's schema up to date, or up to migration `target`; throws if a migration fails
 * (which leaves it unchanged).
 */
export async function migrate(db: Kysely<unknown>, engine: Engine, target?: string): Promise<void> {
  if (target === undefined && (await isCurrent(db, engine))) return;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations(engine) } });
  const { error } = target === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
  if (error !== undefined) throw error;
}

/**
 * Whether the store has exactly this version's migrations, read without writing: the migrator itself
 * creates and locks its tables first, which a read-only replica of a current store refuses.
 */
async function isCurrent(db: Kysely<unknown>, engine: Engine): Promise<boolean> {
  let applied: string[];
  try {
    applied = (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((row) => row.name);
  } catch {
    return false; // a new store: no migrations table yet
  }
  const known = Object.keys(migrations(engine));
  return applied.length === known.length && known.every((name) => applied.includes(name));
}
