/**
 * Every reader of a ledger time handles any time a ledger can hold (a chain mined at 1e13 s, a Fabric
 * client's clock, the whole 64-bit range and beyond) without throwing: the one formatter
 * (sdk/ledger-time.ts), and the readers that once threw `RangeError: Invalid time value` through
 * `new Date(seconds * 1000).toISOString()`: verification, the API's DateTime, EPCIS, balance reports.
 */
import fc from "fast-check";
import type { GraphQLScalarType } from "graphql";
import { describe, expect, it } from "vitest";
import { documentHash, type CustodyEvent } from "../../domain/index.js";
import { serializeBalanceReport } from "../../sdk/balance-report.js";
import { epcisEvent } from "../../api/epcis/events.js";
import { preHashString } from "../../sdk/epcis/index.js";
import { schema } from "../../api/schema/index.js";
import { singleDocumentVerdict } from "../../sdk/anchoring/verdict.js";
import { ledgerTimeIso } from "../../sdk/ledger-time.js";
import type { AnchoredDocument } from "../../sdk/ledger.js";

/** The last second a JavaScript Date holds. */
const DATE_LIMIT = 8_640_000_000_000n;
const ISO = /^([0-9]{4}|[+-][0-9]{6,})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.000Z$/;

/** Seconds over the whole range: near 1970, inside a Date, beyond it, beyond 64 bits, and the edges. */
const anySeconds = fc.oneof(
  fc.bigInt({ min: -DATE_LIMIT, max: DATE_LIMIT }),
  fc.bigInt({ min: -(1n << 64n), max: 1n << 64n }),
  fc.bigInt({ min: -(1n << 256n), max: 1n << 256n }),
  fc.constantFrom(0n, -1n, DATE_LIMIT, DATE_LIMIT + 1n, -DATE_LIMIT - 1n, 10n ** 13n, (1n << 63n) - 1n, (1n << 64n) - 1n, 253_402_300_799n, 253_402_300_800n),
);

const document = (time: bigint): AnchoredDocument => ({
  hash: documentHash("a certificate"),
  id: "CO-1",
  kind: "CO",
  cid: "bafkqaaa",
  issuer: "VCCI-HCM",
  subjects: ["LOT-1"],
  version: 1,
  supersedes: null,
  supersededBy: null,
  status: "VALID",
  anchoredAt: time,
  anchoredIn: { tx: `0x${"ab".repeat(32)}`, block: 12n, time },
  revocation: null,
});

const hold = (time: bigint): CustodyEvent => ({
  type: "custody",
  action: "hold",
  actor: "VNCUSTOMS",
  facility: "VNSGN-CATLAI",
  documents: [],
  reason: "inspection",
  deviations: [],
  flagged: false,
  consumed: [],
  transitions: [
    {
      from: "IN_WAREHOUSE",
      lot: {
        id: "LOT-1",
        material: "COTTON",
        hsCode: "5201",
        unit: "KGM",
        quantity: 10n,
        owner: "AN-PHAT",
        custodian: "VNCUSTOMS",
        location: "VNSGN-CATLAI",
        state: "HELD",
        priorState: "IN_WAREHOUSE",
        direction: "IMPORT",
        preferenceClaimed: false,
        permitRequired: false,
        declaration: null,
        seal: "",
        destination: "",
        deadline: 0n,
      },
    },
  ],
  time,
});

describe("ledger time as ISO 8601", () => {
  it("is exactly what Date writes wherever a Date can hold the time", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -DATE_LIMIT, max: DATE_LIMIT }), (seconds) => {
        expect(ledgerTimeIso(seconds)).toBe(new Date(Number(seconds) * 1000).toISOString());
      }),
      { numRuns: 5_000 },
    );
    expect(ledgerTimeIso(1_800_000_000n)).toBe("2027-01-15T08:00:00.000Z");
  });

  it("never throws, and writes a well-formed, distinct instant for every second, beyond a Date too", () => {
    fc.assert(
      fc.property(anySeconds, (seconds) => {
        const iso = ledgerTimeIso(seconds);
        expect(iso).toMatch(ISO);
        expect(ledgerTimeIso(seconds + 1n)).not.toBe(iso);
        // A day on is the same time of day, on the next date.
        expect(ledgerTimeIso(seconds + 86_400n).slice(-13)).toBe(iso.slice(-13));
      }),
      { numRuns: 5_000 },
    );
    expect(ledgerTimeIso(10n ** 13n)).toBe("+318857-05-20T17:46:40.000Z");
    expect(ledgerTimeIso((1n << 64n) - 1n)).toBe("+584554051223-11-09T07:00:15.000Z");
    expect(ledgerTimeIso(-62_167_219_201n)).toBe("-000001-12-31T23:59:59.000Z");
  });

  it("takes numbers too, over their whole range", () => {
    fc.assert(
      fc.property(fc.double(), (seconds) => {
        expect(() => ledgerTimeIso(seconds)).not.toThrow();
      }),
    );
    expect(ledgerTimeIso(1e13)).toBe(ledgerTimeIso(10n ** 13n));
    expect(ledgerTimeIso(Number.NaN)).toBe("NaN");
  });
});

describe("the readers of a ledger time", () => {
  const dateTime = schema.getType("DateTime") as GraphQLScalarType;

  it("answer for any time the ledger holds, as the formatter writes it", () => {
    fc.assert(
      fc.property(anySeconds, (seconds) => {
        const iso = ledgerTimeIso(seconds);
        const verdict = singleDocumentVerdict({
          presented: { type: "hash", hash: documentHash("a certificate") },
          document: document(seconds),
          current: undefined,
          issuer: { id: "VCCI-HCM", kind: "ISSUER" },
        });
        expect(verdict.anchor?.anchoredAt).toBe(iso);
        const revocation = { reason: "wrong consignee", revokedIn: { tx: `0x${"ef".repeat(32)}`, block: 13n, time: seconds } };
        const revoked = singleDocumentVerdict({
          presented: { type: "hash", hash: documentHash("a certificate") },
          document: { ...document(seconds), status: "REVOKED", revocation },
          current: undefined,
          issuer: undefined,
        });
        expect(revoked.checks[1]!.reason).toContain(` on ${iso} `);
        expect(dateTime.serialize(seconds)).toBe(iso);
        const record = { id: 1n, block: 12n, tx: `0x${"cd".repeat(32)}`, index: 0, time: seconds, kind: "custody", actor: "VNCUSTOMS", event: hold(seconds) };
        // EPCIS writes the facility's clock (+07:00 by default), and hashes the event's time back in UTC.
        const epcis = epcisEvent(record, hold(seconds), () => undefined);
        expect(epcis.eventTime).toBe(ledgerTimeIso(seconds + 25_200n).replace(/Z$/, "+07:00"));
        const { eventID: _id, ...content } = epcis;
        expect(preHashString(content)).toContain(`eventTime=${iso}eventTimeZoneOffset=+07:00`);
        expect(JSON.parse(serializeBalanceReport({ enterprise: "AN-PHAT", period: { from: seconds, to: seconds + 1n }, closing: new Map() })).period.from).toBe(
          iso,
        );
      }),
      { numRuns: 2_000 },
    );
  });
});
