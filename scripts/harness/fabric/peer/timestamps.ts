/** google.protobuf.Timestamp for ledger times in whole seconds (TraceGate's ledger time). */
import { createRequire } from "node:module";

export interface Timestamp {
  getSeconds(): number;
  setSeconds(seconds: number): void;
}

const { Timestamp: TimestampClass } = createRequire(import.meta.url)("google-protobuf/google/protobuf/timestamp_pb.js") as {
  Timestamp: new () => Timestamp;
};

export function timestamp(seconds: bigint): Timestamp {
  const value = new TimestampClass();
  value.setSeconds(Number(seconds));
  return value;
}

export function secondsOf(value: Timestamp | undefined): bigint {
  return BigInt(value?.getSeconds() ?? 0);
}
