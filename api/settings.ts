/**
 * The API's settings, read the same way by `npm run api` and `npm start` (which serves the API in its
 * process): where it listens, which tokens it trusts, and what a lot's resolver tells a stranger.
 */
import { resolve } from "node:path";
import type { SettingsReader } from "../sdk/settings/reader.js";
import { API_AUDIENCE } from "./auth/dev-tokens.js";
import { isPublicLotPart, PUBLIC_LOT_PARTS, type PublicLotPart } from "./lot-resolver.js";
import { MAX_SEGMENT_MESSAGES } from "../domain/seal-track.js";
import { DEFAULT_TRACK_POLICY, type TrackPolicy } from "./transit/track-anchorer.js";

export type TokenSettings =
  /** A signing key kept in the data directory; development tokens are printed per organisation. */
  | { kind: "development"; keyFile: string }
  /** Tokens from the organisations' identity provider, verified against these keys. */
  | { kind: "trusted-keys"; jwksFile: string; issuer: string; audience: string };

export interface ApiSettings {
  host: string;
  /** 0: any free port. */
  port: number;
  tokens: TokenSettings;
  /** What /lot/<id> tells a caller who may not see the lot. */
  publicLotPart: PublicLotPart;
  /** When seal reports are anchored without an alert or an unsealing (api/transit/track-anchorer.ts). */
  track: TrackPolicy;
}

export function readApiSettings(read: SettingsReader, home: string, cwd: string): ApiSettings {
  return {
    host: read.text("TRACEGATE_HOST") ?? "127.0.0.1",
    port: read.port("TRACEGATE_PORT", 4000),
    tokens: readTokenSettings(read, home, cwd),
    publicLotPart: readPublicLotPart(read),
    track: readTrackPolicy(read),
  };
}

/** A seal's pending reports are anchored once there are this many, or the oldest is this old in ledger time. */
function readTrackPolicy(read: SettingsReader): TrackPolicy {
  const reports = read.wholeNumber("TRACEGATE_TRACK_SEGMENT_REPORTS", 1, "a number of reports");
  if (reports !== undefined && reports > MAX_SEGMENT_MESSAGES)
    read.problem(`TRACEGATE_TRACK_SEGMENT_REPORTS must be at most ${MAX_SEGMENT_MESSAGES} (the most one segment holds), not "${reports}"`);
  const seconds = read.wholeNumber("TRACEGATE_TRACK_SEGMENT_SECONDS", 1, "a number of seconds");
  return {
    segmentReports: reports ?? DEFAULT_TRACK_POLICY.segmentReports,
    segmentSeconds: seconds === undefined ? DEFAULT_TRACK_POLICY.segmentSeconds : BigInt(seconds),
  };
}

/** Anything but a known value is refused: a typo must not disclose more than meant, nor silently less. */
function readPublicLotPart(read: SettingsReader): PublicLotPart {
  const part = read.text("TRACEGATE_RESOLVER_PUBLIC") ?? "none";
  if (isPublicLotPart(part)) return part;
  read.problem(`TRACEGATE_RESOLVER_PUBLIC must be ${PUBLIC_LOT_PARTS.join(", ")}, not "${part}"`);
  return "none";
}

/** Trusted keys when TRACEGATE_JWKS names them (with the issuer they must carry), else the data directory's development key. */
function readTokenSettings(read: SettingsReader, home: string, cwd: string): TokenSettings {
  const jwks = read.text("TRACEGATE_JWKS");
  if (jwks === undefined) return { kind: "development", keyFile: resolve(home, "api-dev-key.json") };
  const issuer = read.text("TRACEGATE_JWT_ISSUER");
  if (issuer === undefined) read.missing("TRACEGATE_JWT_ISSUER", "the issuer (iss) your identity provider puts in tokens");
  return { kind: "trusted-keys", jwksFile: resolve(cwd, jwks), issuer: issuer ?? "", audience: read.text("TRACEGATE_JWT_AUDIENCE") ?? API_AUDIENCE };
}
