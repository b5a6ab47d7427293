/** The audit API's GraphQL schema, built code-first; printed to api/schema.graphql (npm run api:schema). */
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { builder } from "./builder.js";
import "./scalars.js";
import "./document.js";
import "./event.js";
import "./lot.js";
import "./balance.js";
import "./dwell.js";
import "./choices.js";
import "./findings.js";
import "./epcis.js";
import "./subscription.js";
import "./viewer.js";
import "./actions.js";

builder.queryType({ description: "Every field needs a verified caller (a bearer token) and answers only what its organisation may see." });

export const schema: GraphQLSchema = builder.toSchema();

export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
