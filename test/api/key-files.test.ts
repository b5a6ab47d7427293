/** TRACEGATE_JWKS and the development key: one reader, which says what is wrong and where. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { KeyFileError, readDevKey, readJwks } from "../../api/auth/key-files.js";

describe("the API's key files", () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "tracegate-key-files-"));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  const file = async (content: unknown) => {
    const path = join(directory, `${Math.random().toString(36).slice(2)}.json`);
    await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
    return path;
  };
  const refusal = (reading: Promise<unknown>) =>
    reading.then(
      () => "read",
      (error: unknown) => (error instanceof KeyFileError ? { field: error.field, message: error.message } : error),
    );

  it("reads a JWK Set (members it does not know kept, as RFC 7517 says) and a development key", async () => {
    const issuer = await devTokenIssuer();
    const set = { ...issuer.jwks, comment: "ours" };
    expect(await readJwks(await file(set))).toEqual(set);
    expect(await readDevKey(await file(issuer.privateJwk))).toEqual(issuer.privateJwk);
  });

  it("refuses what is not one, naming the setting, the file and the field", async () => {
    expect(await refusal(readJwks(join(directory, "missing.json")))).toMatchObject({
      message: expect.stringMatching(/^TRACEGATE_JWKS: cannot read .*missing\.json/),
    });
    expect(await refusal(readJwks(await file("{")))).toMatchObject({ field: "", message: expect.stringMatching(/^TRACEGATE_JWKS: .* is not a JWK Set/) });
    expect(await refusal(readJwks(await file({ keys: {} })))).toMatchObject({ field: "keys" });
    expect(await refusal(readJwks(await file({ keys: [{ kty: "EC" }, { crv: "P-256" }] })))).toMatchObject({ field: "keys[1].kty" });
    expect(await refusal(readDevKey(await file([])))).toMatchObject({
      field: "",
      message: expect.stringMatching(/^the development token key: .* is not a JWK/),
    });
  });
});
