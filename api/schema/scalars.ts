/** Scalars and enums shared by the schema's types. */
import { Kind, type ValueNode } from "graphql";
import { DOCUMENT_KINDS, DOCUMENT_STATUSES, LOT_STATES, ORG_KINDS, SEAL_ALERTS } from "../../domain/index.js";
import { instantOf } from "../../sdk/epcis/event-hash.js";
import { ledgerTimeIso } from "../../sdk/ledger-time.js";
import { badInput } from "../errors.js";
import { builder } from "./builder.js";
import { quoted } from "../../domain/json-shapes.js";

/** The instants a JavaScript Date holds (±100,000,000 days from 1970), as before: queries take no time beyond. */
const MAX_SECONDS = 8_640_000_000_000n;

/** Ledger time (seconds) as an ISO 8601 date-time in UTC, for any time a ledger holds (sdk/ledger-time.ts). */
builder.scalarType("DateTime", {
  description: "An instant as ISO 8601 in UTC (ledger time has whole seconds).",
  serialize: (seconds) => ledgerTimeIso(seconds),
  parseValue: (value) => {
    // RFC 3339 with its offset, read by the parser EPCIS times go through (a fraction of a second is dropped);
    // not Date.parse, which takes "1" or "Dec 25 2030" and reads a time without an offset in the server's zone.
    const instant = typeof value === "string" ? instantOf(value) : undefined;
    if (instant === undefined || instant.seconds < -MAX_SECONDS || instant.seconds > MAX_SECONDS)
      throw badInput(`${quoted(value)} is not an ISO 8601 date-time with an offset, such as 2026-12-01T08:00:00+07:00 or 2026-12-01T01:00:00Z`);
    return instant.seconds;
  },
});

/** Quantities are integers up to 2^96 - 1 and their sums go further: decimal strings, never floats. */
builder.scalarType("Quantity", {
  description: "A whole quantity in the lot's unit, as a decimal string (it may exceed 2^53).",
  serialize: (quantity) => quantity.toString(),
  parseValue: (value) => {
    if (typeof value !== "string" || !/^-?(0|[1-9][0-9]*)$/.test(value)) throw badInput(`${quoted(value)} is not a decimal quantity`);
    return BigInt(value);
  },
});

builder.scalarType("JSON", {
  description: "A JSON value (EPCIS 2.0 JSON-LD, event payloads).",
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: function literal(node: ValueNode): unknown {
    switch (node.kind) {
      case Kind.OBJECT:
        return Object.fromEntries(node.fields.map((field) => [field.name.value, literal(field.value)]));
      case Kind.LIST:
        return node.values.map(literal);
      case Kind.INT:
      case Kind.FLOAT:
        return Number(node.value);
      case Kind.STRING:
      case Kind.BOOLEAN:
        return node.value;
      default:
        return null;
    }
  },
});

export type UploadedFile = Pick<File, "size" | "name" | "arrayBuffer">;

/** An uploaded file (GraphQL multipart request); only ever an argument. */
builder.scalarType("File", {
  description: "A file sent as a GraphQL multipart request.",
  serialize: () => {
    throw new Error("File is an input scalar");
  },
  parseValue: (value) => {
    // yoga hands over its fetch implementation's File: recognise it by shape, not by class.
    const file = value as Partial<UploadedFile> | null;
    if (typeof file?.arrayBuffer !== "function" || typeof file.size !== "number") throw badInput("expected a file sent as a multipart request");
    return file as UploadedFile;
  },
});

export const LotStateEnum = builder.enumType("LotState", { values: LOT_STATES });
export const DocumentKindEnum = builder.enumType("DocumentKind", { values: DOCUMENT_KINDS });
export const DocumentStatusEnum = builder.enumType("DocumentStatus", { values: DOCUMENT_STATUSES });
export const OrgKindEnum = builder.enumType("OrgKind", { values: ORG_KINDS });
export const SealAlertEnum = builder.enumType("SealAlert", {
  description: "What an electronic seal reports on the way: opened, off its route, stopped too long, its battery low.",
  values: SEAL_ALERTS,
});

export const PeriodInput = builder.inputType("PeriodInput", {
  description: "The half-open interval [from, to).",
  fields: (t) => ({
    from: t.field({ type: "DateTime", required: true }),
    to: t.field({ type: "DateTime", required: true }),
  }),
});

/** A period from its input, refusing an empty or reversed one. */
export function periodOf(input: { from: bigint; to: bigint }): { from: bigint; to: bigint } {
  if (input.from >= input.to) throw badInput("a period's from must be before its to");
  return { from: input.from, to: input.to };
}
