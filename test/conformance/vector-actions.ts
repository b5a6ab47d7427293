/**
 * A step's `action`: a domain Action written as JSON, as the Fabric codec reads it (decimal-string
 * quantities), but with `@document` and `#batch` hashes and the shorthands of test/vectors/README.md
 * expanded from the setup.
 */
import { actionShapeWith } from "../../chaincode/src/codec.js";
import type { Action, Id } from "../../domain/index.js";
import { at, isPlainObject, mismatch, type Shape } from "../../domain/json-shapes.js";
import { hashReference, type Setup } from "./vector-setup.js";

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
  const decode = actionShapeWith(hashReference(setup));
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
