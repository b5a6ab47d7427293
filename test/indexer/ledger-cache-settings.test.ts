/** Where the ledger cache goes: beside an SQLite store, else in the data directory; `none`: nowhere. */
import { describe, expect, it } from "vitest";
import { readIndexerSettings } from "../../indexer/settings.js";
import { SettingsReader } from "../../sdk/settings/reader.js";

const cacheOf = (env: NodeJS.ProcessEnv) => {
  const read = new SettingsReader("indexer", env);
  const { ledgerCache } = readIndexerSettings(read, "/home/tg");
  return { ledgerCache, problems: read.problems };
};

describe("the ledger cache's setting", () => {
  it("defaults to ledger-cache.sqlite beside an SQLite store, else in the data directory", () => {
    expect(cacheOf({}).ledgerCache).toBe("/home/tg/ledger-cache.sqlite");
    expect(cacheOf({ TRACEGATE_INDEX_STORE: "/data/index/tg.sqlite" }).ledgerCache).toBe("/data/index/ledger-cache.sqlite");
    expect(cacheOf({ TRACEGATE_INDEX_STORE: "sqlite:/data/tg.sqlite" }).ledgerCache).toBe("/data/ledger-cache.sqlite");
    expect(cacheOf({ TRACEGATE_INDEX_STORE: "postgres://tg@db/tracegate" }).ledgerCache).toBe("/home/tg/ledger-cache.sqlite");
    expect(cacheOf({ TRACEGATE_INDEX_STORE: ":memory:" }).ledgerCache).toBe("/home/tg/ledger-cache.sqlite");
  });

  it("takes TRACEGATE_LEDGER_CACHE, none for no cache, and refuses a URL", () => {
    expect(cacheOf({ TRACEGATE_LEDGER_CACHE: "/cache/tg.sqlite" })).toEqual({ ledgerCache: "/cache/tg.sqlite", problems: [] });
    expect(cacheOf({ TRACEGATE_LEDGER_CACHE: "none" })).toEqual({ ledgerCache: undefined, problems: [] });
    expect(cacheOf({ TRACEGATE_LEDGER_CACHE: "s3://bucket/cache" }).problems).toEqual([
      'TRACEGATE_LEDGER_CACHE is a file path or none, not "s3://bucket/cache"',
    ]);
  });
});
