/**
 * Client JSON built to break the code that reads it: nesting deeper than the call stack (10 KB of
 * brackets is enough for JSON.stringify), nulls and scalars where objects belong. Every reader answers
 * with its typed refusal — EPCIS mapping, shape, chaincode argument, GraphQL input — never a RangeError or
 * TypeError, and the capture path refuses such an event with its code.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { decodeAction, decodeBatch } from "../../chaincode/src/codec.js";
import { TraceGateError } from "../../domain/index.js";
import { mismatch, object, ShapeError, string } from "../../domain/json-shapes.js";
import { eventIdOf, intakeEvent } from "../../api/capture/intake.js";
import { EpcisMappingError, epcisDirectory, eventHash, fromEpcis, preHashString, TG_NAMESPACE } from "../../sdk/epcis/index.js";
import { MAX_EXTENSION_DEPTH } from "../../sdk/epcis/event-hash.js";
import { sealMessageOf, sealReportEvent } from "../../sdk/transit/seal-report.js";
import { CSRF_HEADER } from "../../api/yoga.js";
import { startScenarioApi, type ScenarioApi } from "../api/scenario-api.js";
import { nested, nestedText } from "../support/deep-json.js";

const TOO_DEEP = 20_000;

const arrival = {
  type: "ObjectEvent",
  action: "OBSERVE",
  bizStep: "arriving",
  eventTime: "2027-01-15T08:00:00+07:00",
  eventTimeZoneOffset: "+07:00",
  quantityList: [{ epcClass: "urn:tracegate:lot:L-1", quantity: 10, uom: "KGM" }],
  readPoint: { id: "urn:tracegate:facility:VNSGN-CATLAI" },
};
const directory = epcisDirectory();

function refusal(run: () => unknown): EpcisMappingError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EpcisMappingError);
    return error as EpcisMappingError;
  }
  throw new Error("expected a refusal");
}

it("refuses an extension or ILMD nested past its depth, and hashes one at the depth", () => {
  for (const key of [undefined, "tg:inner"]) {
    expect(refusal(() => eventHash({ ...arrival, "tg:note": nested(TOO_DEEP, key) })).code).toBe("MALFORMED_EVENT");
    expect(refusal(() => eventHash({ ...arrival, ilmd: { "tg:x": nested(TOO_DEEP, key) } })).code).toBe("MALFORMED_EVENT");
    expect(refusal(() => eventHash({ ...arrival, "tg:note": nested(MAX_EXTENSION_DEPTH + 1, key) })).message).toMatch(
      new RegExp(`nest more than ${MAX_EXTENSION_DEPTH} deep`),
    );
    expect(eventHash({ ...arrival, "tg:note": nested(MAX_EXTENSION_DEPTH, key) })).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
  }
  // At the depth, what it holds counts (CBV 2.0 flattens nested lists, not objects).
  const atDepth = eventHash({ ...arrival, "tg:note": nested(MAX_EXTENSION_DEPTH, "tg:inner") });
  expect(eventHash({ ...arrival, "tg:note": nested(MAX_EXTENSION_DEPTH - 1, "tg:inner") })).not.toBe(atDepth);
});

it("expands only the prefixes it knows: a name every object inherits is no prefix", () => {
  const text = preHashString({ ...arrival, "constructor:x": 1, "__proto__:y": 2, "tg:z": 3, readPoint: { id: "toString:abc" } });
  expect(text).toContain("readPointid=toString:abc");
  expect(text).toContain("constructor:x=1");
  expect(text).toContain("__proto__:y=2");
  expect(text).toContain(`{${TG_NAMESPACE}}z=3`);
  expect(text).not.toMatch(/native code|\[object Object\]/);
});

it("quotes a deep or long value in a refusal by what it is, never whole", () => {
  const quantity = refusal(() => fromEpcis({ ...arrival, quantityList: [{ ...arrival.quantityList[0], quantity: nested(TOO_DEEP) }] }, { directory }));
  expect(quantity.message).toMatch(/a list of 1 is not a whole quantity/);
  const lot = refusal(() => fromEpcis({ ...arrival, quantityList: [{ epcClass: `urn:other:${"x".repeat(100_000)}`, quantity: 1 }] }, { directory }));
  expect(lot.message.length).toBeLessThan(300);
  expect(() => string(nested(TOO_DEEP), "x")).toThrow(ShapeError);
  expect(() => mismatch("an object", nested(TOO_DEEP, "tg:inner"), "x")).toThrow(/expected an object, got an object/);
  expect(() => object({ a: string }, {})(nested(TOO_DEEP), "x")).toThrow(ShapeError);
});

it("refuses a seal report's hostile position, time or element with its code", () => {
  const report = sealReportEvent(
    { seal: "S-1", time: 1_799_999_999n, latitude: 21_846_000n, longitude: 106_761_000n, sealClosed: true, alerts: [] },
    "+07:00",
  ) as { sensorElementList: Array<{ sensorMetadata: Record<string, unknown> }> };
  expect(sealMessageOf(report).sealClosed).toBe(true);
  const [element] = report.sensorElementList;
  for (const hostile of [
    { ...report, readPoint: { id: nested(TOO_DEEP) } },
    { ...report, sensorElementList: [{ ...element, sensorMetadata: { ...element!.sensorMetadata, time: nested(TOO_DEEP, "tg:inner") } }] },
    { ...report, sensorElementList: [null] },
    { ...report, sensorElementList: [{ ...element, sensorMetadata: null }] },
    { ...report, sensorElementList: [{ ...element, sensorReport: [null] }] },
    { ...report, sensorElementList: [{ ...element, sensorReport: [7] }] },
  ]) {
    expect(["MALFORMED_EVENT", "UNMAPPABLE_EVENT"]).toContain(refusal(() => sealMessageOf(hostile)).code);
  }
});

it("gives a capture's hostile event its refusal code, not a failure", () => {
  const actor = { org: "AN-PHAT", role: "OPERATOR" as const };
  for (const raw of [
    { ...arrival, "tg:note": nested(TOO_DEEP) },
    { ...arrival, ilmd: nested(TOO_DEEP, "tg:inner") },
  ]) {
    const id = eventIdOf(raw);
    expect(typeof id === "string" ? id : id.refused.code).toBe("MALFORMED_EVENT");
    expect(intakeEvent(raw, actor, directory)).toMatchObject({ refused: { code: "MALFORMED_EVENT" } });
  }
});

it("refuses a chaincode action nested past the stack, alone or in a batch, as INVALID_ARGUMENT", () => {
  const lists = nestedText(6_000);
  const objects = nestedText(6_000, "type");
  for (const run of [
    () => decodeAction(lists),
    () => decodeBatch(`[${lists}]`),
    () => decodeBatch(`[${objects}]`),
    () => decodeAction(`{"type":"hold","lot":${lists}}`),
  ]) {
    expect(run).toThrow(TraceGateError);
    expect(run).toThrow(/INVALID_ARGUMENT: .*got (a list of 1|an object)/);
  }
});

let api: ScenarioApi;
beforeAll(async () => {
  api = await startScenarioApi();
});
afterAll(() => api?.close());

it("answers a GraphQL variable nested past the stack as bad input", async () => {
  const lists = nestedText(6_000);
  const objects = nestedText(6_000, "a");
  for (const [query, variables] of [
    ["query ($from: DateTime) { findings(filter: { from: $from }, first: 1) { totalCount } }", `{"from":${lists}}`],
    ["query ($from: DateTime) { findings(filter: { from: $from }, first: 1) { totalCount } }", `{"from":${objects}}`],
    ['mutation ($q: Quantity!) { split(input: { lot: "LOT-P1", parts: [{ lot: "P-A", quantity: $q }] }) { duplicate } }', `{"q":${lists}}`],
  ] as const) {
    const response = await fetch(`${api.server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", [CSRF_HEADER]: "1", authorization: `Bearer ${api.tokens.auditor}` },
      body: `{"query":${JSON.stringify(query)},"variables":${variables}}`,
    });
    const { errors } = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    expect(errors?.[0]?.extensions?.code, query).toBe("BAD_USER_INPUT");
  }
});
