/**
 * The API's key files, read in one place: TRACEGATE_JWKS (the keys whose tokens it trusts) and the
 * development signing key `npm start` keeps. Checked to be the JSON jose takes; jose checks the keys.
 */
import { readFile } from "node:fs/promises";
import type { JSONWebKeySet, JWK } from "jose";
import { array, decodeAs, FormatError, fromJson, openObject, string, type Shape } from "../../domain/json-shapes.js";

/** A key file that cannot be read or is not what it should be; `field` says where ("" for the whole). */
export class KeyFileError extends FormatError {}

const jwk = openObject({ kty: string });
const jwkSet = openObject({ keys: array(jwk) });

async function readKeyFile<T>(path: string, setting: string, shape: Shape<T>, what: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new KeyFileError(`${setting}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, "");
  }
  return decodeAs(
    (where, field) => new KeyFileError(`${setting}: ${path} is not ${what} (${where})`, field),
    () => fromJson(shape, text),
  );
}

export function readJwks(path: string): Promise<JSONWebKeySet> {
  return readKeyFile(path, "TRACEGATE_JWKS", jwkSet, 'a JWK Set ({"keys": [...]})') as Promise<JSONWebKeySet>;
}

export function readDevKey(path: string): Promise<JWK> {
  return readKeyFile(path, "the development token key", jwk, "a JWK");
}
