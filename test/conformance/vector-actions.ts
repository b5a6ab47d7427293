/**
 * A step's `action`: a domain Action written as JSON (decimal-string quantities, `@document` and
 * `#batch` hashes), with the shorthands of test/vectors/README.md expanded from the setup.
 */
import { DOCUMENT_KINDS, type Action, type ActionType, type Id } from "../../domain/index.js";
import { array, at, boolean, decimal, integer, isPlainObject, literal, mismatch, nullable, object, oneOf, string, tagged, type Shape } from "../../domain/json-shapes.js";
import { hashReference, type Setup } from "./vector-setup.js";

type ActionDecoders = { [K in ActionType]: Shape<Extract<Action, { type: K }>> };

function actionDecoders(setup: Setup): ActionDecoders {
  const hash = hashReference(setup);
  const part = object({ lot: string, quantity: decimal });
  const lotAt = <T extends "arrive" | "store" | "receive">(type: T) => object({ type: literal(type), lot: string, facility: string });
  const lotOnly = <T extends "unhold" | "release" | "depart">(type: T) => object({ type: literal(type), lot: string });
  const withReason = <T extends "hold" | "destroy">(type: T) => object({ type: literal(type), lot: string, reason: string });
  return {
    declare: object({
      type: literal("declare"),
      lot: string,
      goods: object({ material: string, hsCode: string, unit: string, quantity: decimal }),
      direction: oneOf(["IMPORT", "EXPORT"]),
      preferenceClaimed: boolean,
      permitRequired: boolean,
      declaration: hash,
    }),
    arrive: lotAt("arrive"),
    store: lotAt("store"),
    receive: lotAt("receive"),
    hold: withReason("hold"),
    destroy: withReason("destroy"),
    unhold: lotOnly("unhold"),
    release: lotOnly("release"),
    depart: lotOnly("depart"),
    clear: object({ type: literal("clear"), lot: string, co: nullable(hash), permit: nullable(hash) }),
    transform: object({ type: literal("transform"), product: string, inputs: array(part), outputs: array(part) }),
    split: object({ type: literal("split"), lot: string, parts: array(part) }),
    anchor: object({ type: literal("anchor"), hash, id: string, kind: oneOf(DOCUMENT_KINDS), cid: string, subjects: array(string) }),
    supersede: object({ type: literal("supersede"), previous: hash, hash, id: string, cid: string, subjects: array(string) }),
    revoke: object({ type: literal("revoke"), hash, reason: string }),
    anchorBatch: object({ type: literal("anchorBatch"), root: hash, kind: oneOf(DOCUMENT_KINDS), count: integer }),
    revokeBatchMember: object({ type: literal("revokeBatchMember"), root: hash, leaf: hash, proof: array(hash), reason: string }),
    registerNorm: object({
      type: literal("registerNorm"),
      product: string,
      hsCode: string,
      unit: string,
      outputQuantity: decimal,
      inputs: array(object({ material: string, quantity: decimal, wasteBps: integer })),
      document: hash,
    }),
  };
}

/**
 * README shorthands: an `anchor`/`supersede` whose `hash` is `"@doc"` takes `id`, `kind` (anchor only),
 * `cid` and `subjects` from that setup document unless it gives them; a `revokeBatchMember` whose
 * `proof` is `"@doc"` takes the proof of `doc` in the batch its `root` (`"#batch"`) names.
 */
function expandShorthands(value: unknown, setup: Setup, path: string): unknown {
  if (!isPlainObject(value)) return value;
  const { type, hash, root, proof } = value;
  if ((type === "anchor" || type === "supersede") && typeof hash === "string" && hash.startsWith("@")) {
    const document = setup.documents.get(hash.slice(1));
    if (document === undefined) return value;
    const { id, cid, subjects, kind } = document;
    return type === "anchor" ? { id, kind, cid, subjects, ...value } : { id, cid, subjects, ...value };
  }
  if (type === "revokeBatchMember" && typeof proof === "string") {
    const batch = typeof root === "string" && root.startsWith("#") ? setup.batches.get(root.slice(1)) : undefined;
    if (batch === undefined) return mismatch('"#batch" of a setup batch, since proof is "@doc"', root, at(path, "root"));
    const members = proof.startsWith("@") ? batch.proofs.get(proof.slice(1)) : undefined;
    if (members === undefined) return mismatch(`"@doc" of a member of batch ${batch.name}`, proof, at(path, "proof"));
    return { ...value, proof: members };
  }
  return value;
}

export function actionDecoder(setup: Setup): Shape<Action> {
  const decode = tagged<Action>("type", actionDecoders(setup));
  return (value, path) => decode(expandShorthands(value, setup, path), path);
}

/** Every lot id an action names. */
export function lotsNamedBy(action: Action): Id[] {
  switch (action.type) {
    case "transform":
      return [...action.inputs, ...action.outputs].map((part) => part.lot);
    case "split":
      return [action.lot, ...action.parts.map((part) => part.lot)];
    default:
      return "lot" in action ? [action.lot] : [];
  }
}
