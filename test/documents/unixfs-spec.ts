import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";

/**
 * The CID Kubo gives a file with `ipfs add --cid-version=1 --raw-leaves` (fixed 256 KiB chunks,
 * balanced layout, 174 links per node), derived from the dag-pb and UnixFS specs alone — no importer
 * code — to check the importer against.
 *   leaf: raw block of the chunk; node: dag-pb PBNode { Links (field 2): PBLink { Hash 1, Name 2 "",
 *   Tsize 3 }, Data (field 1): UnixFS { Type 1 = File (2), filesize 3, blocksizes 4 (one per link, not packed) } }
 *   A node's Tsize is its block length plus its links' Tsizes. Levels are filled left to right.
 */
export async function kuboFileCid(data: Uint8Array, chunkSize = 262_144, maxLinks = 174): Promise<CID> {
  let level: DagNode[] = [];
  for (let offset = 0; offset < data.length || offset === 0; offset += chunkSize) {
    const chunk = data.subarray(offset, offset + chunkSize);
    const cid = CID.createV1(raw.code, await sha256.digest(chunk));
    level.push({ cid, tsize: chunk.length, fileSize: chunk.length });
  }
  if (level.length === 1) return level[0]!.cid;
  while (level.length > 1) {
    const parents: DagNode[] = [];
    for (let start = 0; start < level.length; start += maxLinks) {
      parents.push(await fileNode(level.slice(start, start + maxLinks)));
    }
    level = parents;
  }
  return level[0]!.cid;
}

interface DagNode {
  cid: CID;
  tsize: number;
  fileSize: number;
}

async function fileNode(children: DagNode[]): Promise<DagNode> {
  const fileSize = children.reduce((sum, child) => sum + child.fileSize, 0);
  const blocksizes = children.map((child) => varintField(4, child.fileSize));
  const unixfs = [varintField(1, 2), varintField(3, fileSize), ...blocksizes];
  const links = children.map((child) => bytesField(2, join(bytesField(1, child.cid.bytes), bytesField(2, new Uint8Array()), varintField(3, child.tsize))));
  const block = join(...links, bytesField(1, join(...unixfs)));
  return {
    cid: CID.createV1(0x70, await sha256.digest(block)),
    tsize: block.length + children.reduce((sum, child) => sum + child.tsize, 0),
    fileSize,
  };
}

function varint(value: number): Uint8Array {
  const out: number[] = [];
  for (; value >= 0x80; value = Math.floor(value / 0x80)) out.push((value % 0x80) | 0x80);
  out.push(value);
  return Uint8Array.from(out);
}

function varintField(field: number, value: number): Uint8Array {
  return join(varint(field << 3), varint(value));
}

function bytesField(field: number, value: Uint8Array): Uint8Array {
  return join(varint((field << 3) | 2), varint(value.length), value);
}

function join(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}
