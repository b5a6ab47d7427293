/**
 * Bearer tokens: JWTs signed by a key the API trusts (a JSON Web Key Set it is configured with). The
 * token names the caller's organisation (`org`) and role (`role`); the API believes neither until the
 * signature, issuer, audience and lifetime check out, and then takes the organisation's kind from the
 * registry (the store), never from the token. A role the organisation's kind cannot hold is refused.
 */
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from "jose";
import { ROLES, ROLES_BY_ORG_KIND, type Id, type Organisation, type Role } from "../../domain/index.js";
import { apiError } from "../errors.js";
import { Viewer } from "./viewer.js";

export interface TokenSettings {
  /** Public keys whose signatures the API accepts. */
  keys: JSONWebKeySet;
  /** The `iss` and `aud` a token must carry. */
  issuer: string;
  audience: string;
}

/** Asymmetric algorithms only: the API holds public keys, never a shared secret. */
const ALGORITHMS = ["ES256", "ES384", "EdDSA", "RS256", "PS256"];
const MAX_TOKEN_AGE_SECONDS = 24 * 3600;
/** Verified tokens remembered (a signature check costs more than the rest of a small query). */
const CACHED_TOKENS = 10_000;
/**
 * How long a token's organisation stays believed registered after the store last found it, in
 * milliseconds. The lookup is a round trip to the store on every request, for an answer that only a
 * chain reorganisation undoing the registration can change; a missing organisation is never remembered.
 */
export const REGISTRATION_RECHECK_MS = 1_000;

interface Claims {
  org?: unknown;
  role?: unknown;
  sub: string;
  /** Seconds since the epoch after which the token is refused, by its exp or its age. */
  expires: number;
  /** The organisation's registration as last read, and when (ms on the verifier's clock). */
  registered?: { organisation: Organisation; at: number };
}

export class TokenVerifier {
  private readonly keySet: ReturnType<typeof createLocalJWKSet>;
  private readonly verified = new Map<string, Claims>();

  /** `clock`: milliseconds, for the registration's recheck (tests move it). */
  constructor(
    private readonly settings: TokenSettings,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.keySet = createLocalJWKSet(settings.keys);
  }

  /** The viewer a request's Authorization header proves, null without one; throws UNAUTHENTICATED for anything else. */
  async viewerFor(authorization: string | null, organisation: (id: Id) => Promise<Organisation | undefined>): Promise<Viewer | null> {
    if (authorization === null || authorization === "") return null;
    const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization)?.[1];
    if (token === undefined) throw apiError("UNAUTHENTICATED", "the Authorization header must be: Bearer <token>");
    const claims = await this.verify(token);
    const { org, role, sub, expires } = claims;
    if (typeof org !== "string" || typeof role !== "string" || !ROLES.includes(role as Role)) {
      throw apiError("UNAUTHENTICATED", "the token must name an organisation (org) and a role (role)");
    }
    const registered = await this.registration(claims, org, organisation);
    if (registered === undefined) throw apiError("UNAUTHENTICATED", `${org} is not a registered organisation`);
    if (!ROLES_BY_ORG_KIND[registered.kind].includes(role as Role)) {
      throw apiError("UNAUTHENTICATED", `a ${registered.kind} organisation has no ${role} members`);
    }
    return new Viewer(org, registered.kind, role as Role, sub, expires);
  }

  /** The registration of the token's organisation: as remembered with its claims, or read again once REGISTRATION_RECHECK_MS have passed. */
  private async registration(claims: Claims, org: Id, organisation: (id: Id) => Promise<Organisation | undefined>): Promise<Organisation | undefined> {
    const now = this.clock();
    if (claims.registered !== undefined && now - claims.registered.at < REGISTRATION_RECHECK_MS) return claims.registered.organisation;
    const found = await organisation(org);
    claims.registered = found === undefined ? undefined : { organisation: found, at: now };
    return found;
  }

  /** The token's claims once its signature, issuer, audience and lifetime check out. */
  private async verify(token: string): Promise<Claims> {
    const now = Date.now() / 1000;
    const known = this.verified.get(token);
    if (known !== undefined && known.expires > now) return known;
    this.verified.delete(token);
    let claims: Claims;
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        algorithms: ALGORITHMS,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ["sub", "exp", "iat"],
        maxTokenAge: MAX_TOKEN_AGE_SECONDS,
      });
      claims = { org: payload.org, role: payload.role, sub: payload.sub!, expires: Math.min(payload.exp!, payload.iat! + MAX_TOKEN_AGE_SECONDS) };
    } catch (error) {
      if (error instanceof errors.JOSEError) throw apiError("UNAUTHENTICATED", `the token is not accepted (${error.code})`);
      throw error;
    }
    if (this.verified.size >= CACHED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, claims);
    return claims;
  }
}
