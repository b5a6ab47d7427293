/**
 * ISO 8601 times with an offset for the time tests, written field by field: ones that name an instant as
 * written, and ones with exactly one field out of range (month 13, 30 February, hour 24, minute or second
 * 60, offset +14:01), with an oracle of its own for which is which (not the product's parser).
 */
import fc from "fast-check";

const SHAPE = /^([+-]\d{6,}|\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/;

function daysIn(year: bigint, month: number): number {
  const leap = year % 4n === 0n && (year % 100n !== 0n || year % 400n === 0n);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Whether an ISO 8601 time with an offset names an instant as written (no leap second), by its own arithmetic. */
export function inRange(time: string): boolean {
  const match = SHAPE.exec(time);
  if (match === null) return false;
  const [, year, month, day, hour, minute, second, zone, , offsetHours, offsetMinutes] = match;
  const offset = zone === "Z" ? 0 : Number(offsetHours) * 60 + Number(offsetMinutes);
  return (
    Number(day) >= 1 &&
    Number(day) <= daysIn(BigInt(year!), Number(month)) &&
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    Number(second) < 60 &&
    offset <= 14 * 60 &&
    (zone === "Z" || Number(offsetMinutes) < 60)
  );
}

interface Fields {
  year: string;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: string;
  zone: string;
}

const two = (n: number) => String(n).padStart(2, "0");
export const written = (f: Fields) =>
  `${f.year}-${two(f.month)}-${two(f.day)}T${two(f.hour)}:${two(f.minute)}:${two(f.second)}${f.fraction === "" ? "" : `.${f.fraction}`}${f.zone}`;

/** Years as ISO 8601 writes them: four digits, or signed and six or more (never -000000). */
const year = fc.oneof(
  fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, "0")),
  fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }).map((y) => (y < 0n ? `-${String(-y).padStart(6, "0")}` : `+${String(y).padStart(6, "0")}`)),
  fc.constantFrom("2000", "1900", "2024", "2023", "0000", "+010000", "+000400", "-000100", "-000400"),
);
const zone = fc.oneof(
  fc.constant("Z"),
  fc
    .tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 14 * 60 }))
    .map(([sign, minutes]) => `${sign}${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`),
);

/** The fields of a time that names an instant as written. */
export const validFields: fc.Arbitrary<Fields> = fc
  .record({
    year,
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.oneof(fc.constant(""), fc.stringMatching(/^\d{1,9}$/)),
    zone,
  })
  .map((f) => ({ ...f, day: Math.min(f.day, daysIn(BigInt(f.year), f.month)) }));

export const validTime = validFields.map(written);

/** A valid time with exactly one field out of range. */
export const outOfRangeTime = fc
  .tuple(
    validFields,
    fc.oneof(
      fc.integer({ min: 13, max: 99 }).map((month) => ({ month })),
      fc.constant({ month: 0 }),
      fc.constant({ day: 0 }),
      fc.integer({ min: 0, max: 99 }).map((extra) => ({ extra })),
      fc.integer({ min: 24, max: 99 }).map((hour) => ({ hour })),
      fc.integer({ min: 60, max: 99 }).map((minute) => ({ minute })),
      fc.integer({ min: 60, max: 99 }).map((second) => ({ second })),
      fc
        .tuple(fc.constantFrom("+", "-"), fc.integer({ min: 14 * 60 + 1, max: 99 * 60 + 59 }))
        .map(([sign, minutes]) => ({ zone: `${sign}${two(Math.floor(minutes / 60))}:${two(minutes % 60)}` })),
      fc
        .tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 60, max: 99 }))
        .map(([sign, h, m]) => ({ zone: `${sign}${two(h)}:${two(m)}` })),
    ),
  )
  .map(([fields, broken]) => {
    if ("extra" in broken) return written({ ...fields, day: Math.min(99, daysIn(BigInt(fields.year), fields.month) + 1 + broken.extra) });
    return written({ ...fields, ...broken });
  });
