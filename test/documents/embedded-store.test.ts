import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EmbeddedDocumentStore } from "../../sdk/documents/embedded-store.js";
import { blockFiles, temporaryDirectory } from "./block-directory.js";
import { documentStoreContract } from "./store-contract.js";

documentStoreContract("EmbeddedDocumentStore", async () => {
  const directory = await temporaryDirectory();
  const store = await EmbeddedDocumentStore.open(directory);
  return {
    store,
    close: async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});

describe("EmbeddedDocumentStore on disk", () => {
  let directory: string;
  beforeEach(async () => {
    directory = await temporaryDirectory();
  });
  afterEach(async () => rm(directory, { recursive: true, force: true }));

  it("keeps documents across reopening the directory", async () => {
    const first = await EmbeddedDocumentStore.open(directory);
    const { cid } = await first.put(new TextEncoder().encode("persisted"));
    await first.close();
    const second = await EmbeddedDocumentStore.open(directory);
    expect(new TextDecoder().decode(await second.get(cid))).toBe("persisted");
  });

  it("reports a block altered on disk as CORRUPT_BLOCK instead of returning it", async () => {
    const store = await EmbeddedDocumentStore.open(directory);
    const { cid } = await store.put(new TextEncoder().encode("tamper with me"));
    const [file] = await blockFiles(directory);
    const bytes = await readFile(file!);
    bytes[0]! ^= 0x01;
    await writeFile(file!, bytes);
    await expect(store.get(cid)).rejects.toMatchObject({ code: "CORRUPT_BLOCK" });
  });

  it("reports a directory it cannot use as STORE_UNAVAILABLE", async () => {
    const notADirectory = join(directory, "file");
    await writeFile(notADirectory, "x");
    await expect(EmbeddedDocumentStore.open(notADirectory)).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
  });
});
