/**
 * Development tokens: a signing key made on the spot (or read back from a file), the public half as
 * the key set the API trusts, and tokens for any organisation and role. For local networks and tests
 * only — whoever holds the private key can act as anyone.
 */
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from "jose";
import type { Id, OrgKind, Role } from "../../domain/index.js";

export const DEV_TOKEN_ISSUER = "tracegate-dev";
export const API_AUDIENCE = "tracegate-api";
const ALGORITHM = "ES256";

/** The roles demo tokens are made for, per kind of organisation (customs: the auditor, and the officer who acts). */
export const DEV_ROLES_BY_KIND: Record<OrgKind, readonly Role[]> = {
  CUSTOMS: ["AUDITOR", "OFFICER"],
  ENTERPRISE: ["OPERATOR"],
  WAREHOUSE: ["OPERATOR"],
  ISSUER: ["SIGNER"],
};

export interface DevTokenIssuer {
  /** The private signing key, to keep and reuse across restarts. */
  privateJwk: JWK;
  /** The key set an API must trust to accept these tokens. */
  jwks: JSONWebKeySet;
  mint(org: Id, role: Role, options?: { lifetimeSeconds?: number; issuer?: string; audience?: string }): Promise<string>;
}

export async function devTokenIssuer(privateJwk?: JWK): Promise<DevTokenIssuer> {
  const jwk = privateJwk ?? (await exportJWK((await generateKeyPair(ALGORITHM, { extractable: true })).privateKey));
  const kid = `dev-${jwk.x?.slice(0, 8) ?? "key"}`;
  const key = await importJWK(jwk, ALGORITHM);
  const { d: _private, ...publicJwk } = jwk;
  return {
    privateJwk: jwk,
    jwks: { keys: [{ ...publicJwk, kid, alg: ALGORITHM, use: "sig" }] },
    mint: (org, role, { lifetimeSeconds = 12 * 3600, issuer = DEV_TOKEN_ISSUER, audience = API_AUDIENCE } = {}) =>
      new SignJWT({ org, role })
        .setProtectedHeader({ alg: ALGORITHM, kid })
        .setSubject(`${org}/${role}`)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${lifetimeSeconds}s`)
        .sign(key),
  };
}
