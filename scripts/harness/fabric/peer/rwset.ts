/**
 * A transaction's read-write set as Fabric carries it inside the endorsed transaction
 * (TxReadWriteSet / KVRWSet protobuf): the versions it read, the ranges it scanned, what it wrote.
 * The committer validates the transaction from these bytes, not from anything the endorser kept.
 */
import { ledger } from "@hyperledger/fabric-protos";
import type { Version, Write } from "./state-db.js";

const { kvrwset } = ledger.rwset;

export interface RangeRead {
  start: string;
  end: string;
  /** False when the chaincode stopped before the end: only keys up to the last one read count. */
  exhausted: boolean;
  reads: Array<[key: string, version: Version]>;
}

export interface ReadWriteSet {
  namespace: string;
  /** Every key read and the version read (undefined: the key did not exist). */
  reads: Array<[key: string, version: Version | undefined]>;
  ranges: RangeRead[];
  writes: Write[];
}

function encodeRead(key: string, version: Version | undefined): InstanceType<typeof kvrwset.KVRead> {
  const read = new kvrwset.KVRead();
  read.setKey(key);
  if (version !== undefined) {
    const encoded = new kvrwset.Version();
    encoded.setBlockNum(version.block);
    encoded.setTxNum(version.tx);
    read.setVersion(encoded);
  }
  return read;
}

function decodeRead(read: InstanceType<typeof kvrwset.KVRead>): [string, Version | undefined] {
  const version = read.getVersion();
  return [read.getKey(), version === undefined ? undefined : { block: version.getBlockNum(), tx: version.getTxNum() }];
}

export function encodeReadWriteSet({ namespace, reads, ranges, writes }: ReadWriteSet): Uint8Array {
  const set = new kvrwset.KVRWSet();
  set.setReadsList(reads.map(([key, version]) => encodeRead(key, version)));
  set.setRangeQueriesInfoList(
    ranges.map((range) => {
      const info = new kvrwset.RangeQueryInfo();
      info.setStartKey(range.start);
      info.setEndKey(range.end);
      info.setItrExhausted(range.exhausted);
      const raw = new kvrwset.QueryReads();
      raw.setKvReadsList(range.reads.map(([key, version]) => encodeRead(key, version)));
      info.setRawReads(raw);
      return info;
    }),
  );
  set.setWritesList(
    writes.map(([key, value]) => {
      const write = new kvrwset.KVWrite();
      write.setKey(key);
      write.setIsDelete(value === null);
      write.setValue(value ?? new Uint8Array());
      return write;
    }),
  );
  const ns = new ledger.rwset.NsReadWriteSet();
  ns.setNamespace(namespace);
  ns.setRwset(set.serializeBinary());
  const tx = new ledger.rwset.TxReadWriteSet();
  tx.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
  tx.setNsRwsetList([ns]);
  return tx.serializeBinary();
}

export function decodeReadWriteSets(bytes: Uint8Array): ReadWriteSet[] {
  return ledger.rwset.TxReadWriteSet.deserializeBinary(bytes)
    .getNsRwsetList()
    .map((ns) => {
      const set = kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
      return {
        namespace: ns.getNamespace(),
        reads: set.getReadsList().map(decodeRead),
        ranges: set.getRangeQueriesInfoList().map((info) => ({
          start: info.getStartKey(),
          end: info.getEndKey(),
          exhausted: info.getItrExhausted(),
          reads: (info.getRawReads()?.getKvReadsList() ?? []).map((read) => decodeRead(read) as [string, Version]),
        })),
        writes: set.getWritesList().map((write): Write => [write.getKey(), write.getIsDelete() ? null : write.getValue_asU8()]),
      };
    });
}
