/**
 * A live subscription ends with its token: the stream delivers while the token is valid, then says the
 * token expired (UNAUTHENTICATED) and completes, over the real HTTP server.
 */
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at } from "./scenario.js";
import { appendBlock } from "./scenario-store.js";
import { startScenarioApi, type ScenarioApi } from "./scenario-api.js";
import { subscribe } from "./sse.js";

let api: ScenarioApi;
beforeAll(async () => {
  api = await startScenarioApi();
}, 120_000);
afterAll(() => api?.close());

describe("eventAdded and the token's lifetime", () => {
  it("streams until the token expires, then says so and completes", async () => {
    const token = await api.issuer.mint("ENT-1", "OPERATOR", { lifetimeSeconds: 2 });
    const expires = decodeJwt(token).exp! * 1000;
    const subscription = await subscribe(api.server.url, token, "subscription { eventAdded { kind } }");
    const hold = await api.scenario.ledger.submit({ org: "CUSTOMS", role: "OFFICER" }, { type: "hold", lot: "LOT-T1B", reason: "sampling" }, at(6, 9));
    await appendBlock(api.store, [hold]);
    expect((await subscription.next()).data.eventAdded).toEqual({ kind: "hold" });
    const messages = await subscription.rest();
    const ended = Date.now();
    expect(messages).toEqual([
      {
        event: "next",
        data: {
          data: null,
          errors: [expect.objectContaining({ message: "the token expired: subscribe again with a new token", extensions: { code: "UNAUTHENTICATED" } })],
        },
      },
      { event: "complete" },
    ]);
    expect(ended).toBeGreaterThanOrEqual(expires - 50);
    expect(ended).toBeLessThan(expires + 1_000);
  }, 20_000);

  it("refuses to start a stream with an expired token", async () => {
    const subscription = await subscribe(
      api.server.url,
      await api.issuer.mint("ENT-1", "OPERATOR", { lifetimeSeconds: -1 }),
      "subscription { eventAdded { kind } }",
    );
    expect((await subscription.next()).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    subscription.close();
  });
});
