/** nextPageToken: a position sealed for one query and caller, refused when altered, misused or expired. */
import { describe, expect, it } from "vitest";
import { EpcisProblem } from "../../api/epcis/http.js";
import { openPageToken, PAGE_TOKEN_LIFETIME_SECONDS, sealPageToken } from "../../api/epcis/page-token.js";

const scope = { caller: "ENT-1/OPERATOR", query: '[["EQ_bizStep",["arriving"]]]' };
const now = Date.UTC(2027, 0, 15, 8);

function refusal(open: () => unknown): string {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(EpcisProblem);
    expect((error as EpcisProblem).exception).toBe("QueryParameterException");
    return (error as EpcisProblem).message;
  }
  throw new Error("the token was accepted");
}

describe("page tokens", () => {
  it("give back the position they were sealed with, up to the largest event id", () => {
    for (const after of [0n, 1n, 1_048_577n, (1n << 63n) - 1n]) {
      const { token, expires } = sealPageToken(after, scope, now);
      expect(openPageToken(token, scope, now)).toBe(after);
      expect(expires.getTime()).toBe(now + PAGE_TOKEN_LIFETIME_SECONDS * 1000);
    }
  });

  it("refuse any changed character, another query, another caller, and an expired token", () => {
    const { token } = sealPageToken(123_456_789n, scope, now);
    const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.";
    for (let i = 0; i < token.length; i++) {
      for (const replacement of alphabet) {
        if (replacement === token[i]) continue;
        const altered = token.slice(0, i) + replacement + token.slice(i + 1);
        expect(refusal(() => openPageToken(altered, scope, now))).toContain("nextPageToken");
      }
    }
    expect(refusal(() => openPageToken(token, { ...scope, query: "[]" }, now))).toContain("another query or caller");
    expect(refusal(() => openPageToken(token, { ...scope, caller: "ENT-2/OPERATOR" }, now))).toContain("another query or caller");
    expect(refusal(() => openPageToken(token, scope, now + PAGE_TOKEN_LIFETIME_SECONDS * 1000))).toContain("expired");
    expect(refusal(() => openPageToken("", scope, now))).toContain("not a page token");
  });
});
