/**
 * JSON nested deeper than readers expect, as an attack run sends it: JSON.stringify throws past about
 * 5,000 levels. Lists, or objects under `key` at every level; built without recursion.
 */

/** A value `depth` levels deep around the number 1. */
export function nested(depth: number, key?: string): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = key === undefined ? [value] : { [key]: value };
  return value;
}

/** The same as JSON text, written by hand: JSON.stringify cannot write it. */
export function nestedText(depth: number, key?: string): string {
  return key === undefined ? `${"[".repeat(depth)}1${"]".repeat(depth)}` : `${`{${JSON.stringify(key)}:`.repeat(depth)}1${"}".repeat(depth)}`;
}
