import { CarWriter } from "@ipld/car/writer";
import { exporter, type ReadableStorage } from "ipfs-unixfs-exporter";
import type { CID } from "multiformats/cid";
import { collect } from "./bytes.js";

const DAG_PB_CODE = 0x70;

interface Block {
  cid: CID;
  bytes: Uint8Array;
}

/** Every block of the DAG under `root`, depth first and each once: the order of Kubo's `dag export`. */
export async function* dagBlocks(root: CID, storage: ReadableStorage): AsyncGenerator<Block> {
  const pending = [root];
  const seen = new Set<string>();
  for (let cid = pending.pop(); cid !== undefined; cid = pending.pop()) {
    const key = cid.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    yield { cid, bytes: await collect(storage.get(cid)) };
    if (cid.code === DAG_PB_CODE) {
      const node = await exporter(cid, storage);
      if (node.type === "file" || node.type === "directory") {
        pending.push(...node.node.Links.map((link) => link.Hash).reverse());
      }
    }
  }
}

/** Encodes blocks as a CARv1 stream with one root. A failure reading blocks ends the stream with that error. */
export async function* carStream(root: CID, blocks: AsyncIterable<Block>): AsyncGenerator<Uint8Array> {
  const { writer, out } = CarWriter.create([root]);
  const writing = (async () => {
    try {
      for await (const block of blocks) await writer.put(block);
    } finally {
      await writer.close();
    }
  })();
  // The failure is rethrown by the await below; this only stops Node reporting it as unhandled meanwhile.
  writing.catch(() => undefined);
  yield* out;
  await writing;
}
