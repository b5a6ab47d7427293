import type { Direction, DocumentKind, Hash, Id, LedgerTime, Norm, QuantityPart, SealAlert } from "./types.js";

/** The goods a declaration covers. */
export interface Goods {
  material: Id;
  hsCode: Id;
  unit: Id;
  quantity: bigint;
}

export type CustodyAction =
  | {
      type: "declare";
      lot: Id;
      goods: Goods;
      direction: Exclude<Direction, "NONE">;
      preferenceClaimed: boolean;
      permitRequired: boolean;
      declaration: Hash;
    }
  | { type: "arrive"; lot: Id; facility: Id }
  | { type: "store"; lot: Id; facility: Id }
  | { type: "hold"; lot: Id; reason: string }
  | { type: "unhold"; lot: Id }
  | { type: "clear"; lot: Id; co: Hash | null; permit: Hash | null }
  | { type: "release"; lot: Id }
  | { type: "depart"; lot: Id }
  | { type: "receive"; lot: Id; facility: Id }
  | { type: "transform"; product: Id; inputs: QuantityPart[]; outputs: QuantityPart[] }
  | { type: "split"; lot: Id; parts: QuantityPart[] }
  | { type: "destroy"; lot: Id; reason: string }
  /** Customs seals an arrived lot for transit to `facility` by `deadline`, under transit declaration `transit`. */
  | { type: "seal"; lot: Id; facility: Id; seal: Id; deadline: LedgerTime; transit: Hash }
  /** The seal check at the destination: intact, or broken (with the reason). */
  | { type: "unseal"; lot: Id; facility: Id; sealIntact: boolean; reason: string }
  /** An electronic seal's alert on the way, recorded by customs' monitoring: `detail` may be empty. */
  | { type: "alert"; lot: Id; seal: Id; alert: SealAlert; detail: string };

export type DocumentAction =
  | { type: "anchor"; hash: Hash; id: Id; kind: DocumentKind; cid: string; subjects: Id[] }
  | { type: "supersede"; previous: Hash; hash: Hash; id: Id; cid: string; subjects: Id[] }
  | { type: "revoke"; hash: Hash; reason: string }
  | { type: "anchorBatch"; root: Hash; kind: DocumentKind; count: number }
  | { type: "revokeBatchMember"; root: Hash; leaf: Hash; proof: Hash[]; reason: string }
  | ({ type: "registerNorm" } & Omit<Norm, "owner">);

export type Action = CustodyAction | DocumentAction;
export type ActionType = Action["type"];
