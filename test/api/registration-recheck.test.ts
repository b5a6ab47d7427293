/**
 * The verifier remembers a token's organisation registration for REGISTRATION_RECHECK_MS, then reads
 * it again: a registration a chain reorganisation undid stops letting its tokens in once that time has
 * passed, and an organisation the store does not know is asked about on every request.
 */
import { describe, expect, it } from "vitest";
import { API_AUDIENCE, DEV_TOKEN_ISSUER, devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { REGISTRATION_RECHECK_MS, TokenVerifier } from "../../api/auth/tokens.js";
import type { Organisation } from "../../domain/index.js";
import { GraphQLError } from "graphql";

async function setUp() {
  const issuer = await devTokenIssuer();
  let now = 0;
  const verifier = new TokenVerifier({ keys: issuer.jwks, issuer: DEV_TOKEN_ISSUER, audience: API_AUDIENCE }, () => now);
  const registry = new Map<string, Organisation>([["ENT-1", { id: "ENT-1", kind: "ENTERPRISE" }]]);
  const asked: string[] = [];
  const lookup = async (id: string) => {
    asked.push(id);
    return registry.get(id);
  };
  return {
    issuer,
    verifier,
    registry,
    asked,
    viewer: async (token: string) => verifier.viewerFor(`Bearer ${token}`, lookup),
    advance: (ms: number) => void (now += ms),
  };
}

describe("a token's organisation registration", () => {
  it("is read once, then again after the recheck time", async () => {
    const { issuer, asked, viewer, advance } = await setUp();
    const token = await issuer.mint("ENT-1", "OPERATOR");
    expect((await viewer(token))?.kind).toBe("ENTERPRISE");
    advance(REGISTRATION_RECHECK_MS - 1);
    expect((await viewer(token))?.org).toBe("ENT-1");
    expect(asked).toEqual(["ENT-1"]);
    advance(1);
    await viewer(token);
    expect(asked).toEqual(["ENT-1", "ENT-1"]);
  });

  it("refuses a token once its organisation's registration is gone and the recheck time has passed", async () => {
    const { issuer, registry, viewer, advance } = await setUp();
    const token = await issuer.mint("ENT-1", "OPERATOR");
    await viewer(token);
    registry.delete("ENT-1");
    advance(REGISTRATION_RECHECK_MS);
    const refused = await viewer(token).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GraphQLError);
    expect((refused as GraphQLError).message).toBe("ENT-1 is not a registered organisation");
    // Not remembered as missing either: registered again, it is let in at once.
    registry.set("ENT-1", { id: "ENT-1", kind: "ENTERPRISE" });
    expect((await viewer(token))?.org).toBe("ENT-1");
  });

  it("is asked about on every request while the store does not know the organisation", async () => {
    const { issuer, asked, viewer } = await setUp();
    const token = await issuer.mint("ENT-2", "OPERATOR");
    for (let attempt = 0; attempt < 3; attempt++) await expect(viewer(token)).rejects.toThrow("ENT-2 is not a registered organisation");
    expect(asked).toEqual(["ENT-2", "ENT-2", "ENT-2"]);
  });

  it("is remembered per token: another token of the same organisation reads it itself", async () => {
    const { issuer, asked, viewer } = await setUp();
    await viewer(await issuer.mint("ENT-1", "OPERATOR"));
    await viewer(await issuer.mint("ENT-1", "OPERATOR", { lifetimeSeconds: 600 }));
    expect(asked).toEqual(["ENT-1", "ENT-1"]);
  });
});
