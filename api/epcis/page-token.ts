/**
 * nextPageToken: where the next page of a query starts (the last event id the page examined), sealed
 * with an HMAC over that position, the query's parameters, the caller and an expiry, so a token that
 * was changed, belongs to another query or caller, or has expired is refused rather than read. The
 * key is random per process unless TRACEGATE_PAGE_TOKEN_KEY (64 hex digits) is set: `api/main.ts`
 * sets it once for all its workers, so any worker accepts another's tokens.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { EpcisProblem } from "./http.js";

/** How long a token stays good: each page's token is new, so this bounds the pause between two pages. */
export const PAGE_TOKEN_LIFETIME_SECONDS = 3600;

export const PAGE_TOKEN_KEY_VARIABLE = "TRACEGATE_PAGE_TOKEN_KEY";

function keyFromEnvironment(): Buffer {
  const given = process.env[PAGE_TOKEN_KEY_VARIABLE];
  if (given === undefined) return randomBytes(32);
  if (!/^[0-9a-f]{64}$/i.test(given)) throw new Error(`${PAGE_TOKEN_KEY_VARIABLE} must be 64 hex digits (a 32-byte key)`);
  return Buffer.from(given, "hex");
}

const KEY = keyFromEnvironment();

/** Who asks what: a token is good only for the same caller and the same filter. */
export interface PageScope {
  caller: string;
  query: string;
}

const mac = (body: string, scope: PageScope) => createHmac("sha256", KEY).update(`${scope.caller}\n${scope.query}\n${body}`).digest().subarray(0, 16);

export function sealPageToken(after: bigint, scope: PageScope, now = Date.now()): { token: string; expires: Date } {
  const expires = Math.floor(now / 1000) + PAGE_TOKEN_LIFETIME_SECONDS;
  const body = `${after.toString(36)}.${expires.toString(36)}`;
  return { token: `${body}.${mac(body, scope).toString("base64url")}`, expires: new Date(expires * 1000) };
}

/** The position a token names; a QueryParameterException when it is not one this server made for this query. */
export function openPageToken(token: string, scope: PageScope, now = Date.now()): bigint {
  const refused = (why: string) =>
    new EpcisProblem(
      "QueryParameterException",
      `nextPageToken: ${why}; take the Link header of the previous page as it is, or start again without nextPageToken`,
    );
  const parts = /^([0-9a-z]{1,13})\.([0-9a-z]{1,11})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (parts === null) throw refused("not a page token of this server");
  const [, after, expires, seal] = parts as unknown as [string, string, string, string];
  // Compared as text: base64 decoding ignores the last digit's spare bits, so two seals would decode alike.
  const expected = Buffer.from(mac(`${after}.${expires}`, scope).toString("base64url"));
  const given = Buffer.from(seal);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused("altered, or made for another query or caller");
  if (parseInt(expires, 36) * 1000 <= now) throw refused("expired");
  return [...after].reduce((value, digit) => value * 36n + BigInt(parseInt(digit, 36)), 0n);
}
