/**
 * Queries that select every field of the schema: from a root field, every field of every object type
 * it reaches, down to a depth, with arguments from a table of sensible values. A type met again on the
 * same path is shown with its scalar fields only (that is where other objects' data would surface)
 * and not expanded further, which keeps the query finite and covers every field at least once.
 */
import { getNamedType, isLeafType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from "graphql";

/**
 * The argument variants to ask a field with, each argument as a GraphQL literal (or a `$variable`);
 * below the root only the first variant is used.
 */
export type ArgumentValues = (field: GraphQLField<unknown, unknown>, parent: GraphQLObjectType) => Array<Record<string, string>>;

const MAX_DEPTH = 8;

export interface RootQuery {
  root: string;
  /** One operation selecting the root field once per variant of its arguments (aliased). */
  query: string;
  variants: number;
}

/** The selection set of `type`, every field of it. */
export function selectionOf(type: GraphQLObjectType, argumentValues: ArgumentValues, path: readonly string[] = [type.name]): string {
  const parts = ["__typename"];
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    const args = argumentsText(argumentValues(field, type)[0] ?? {});
    if (isLeafType(named)) {
      parts.push(`${field.name}${args}`);
      continue;
    }
    if (!isObjectType(named) || path.length > MAX_DEPTH) continue;
    const inner = path.includes(named.name) ? leavesOf(named) : selectionOf(named, argumentValues, [...path, named.name]);
    parts.push(`${field.name}${args} { ${inner} }`);
  }
  return parts.join(" ");
}

function leavesOf(type: GraphQLObjectType): string {
  return [
    "__typename",
    ...Object.values(type.getFields())
      .filter((field) => isLeafType(getNamedType(field.type)) && field.args.every((arg) => arg.defaultValue !== undefined || !`${arg.type}`.endsWith("!")))
      .map((field) => field.name),
  ].join(" ");
}

/**
 * Every root field of the operation type, each with all its argument variants: one operation per root,
 * or several where one would exceed `maxBytes` (a request body the API takes), the variants cut between them.
 */
export function rootQueries(
  schema: GraphQLSchema,
  operation: "query" | "subscription",
  argumentValues: ArgumentValues,
  variables: Record<string, string> = {},
  maxBytes = Number.POSITIVE_INFINITY,
): RootQuery[] {
  const type = operation === "query" ? schema.getQueryType()! : schema.getSubscriptionType()!;
  return Object.values(type.getFields()).flatMap((field) => {
    const named = getNamedType(field.type);
    const inner = isObjectType(named) ? ` { ${selectionOf(named, argumentValues)} }` : "";
    const variants = argumentValues(field, type);
    if (variants.length === 0) variants.push({});
    const selections = variants.map((variant, index) => `v${index}: ${field.name}${argumentsText(variant)}${inner}`);
    const operationOf = (chosen: readonly string[]) => {
      const text = chosen.join("\n");
      const declared = Object.entries(variables).filter(([name]) => text.includes(`$${name}`));
      const header = declared.length === 0 ? "" : `(${declared.map(([name, type]) => `$${name}: ${type}`).join(", ")})`;
      return `${operation}${header} { ${text} }`;
    };
    const chunks: string[][] = [[]];
    for (const selection of selections) {
      const last = chunks.at(-1)!;
      if (last.length > 0 && operationOf([...last, selection]).length > maxBytes) chunks.push([selection]);
      else last.push(selection);
    }
    return chunks.map((chosen) => ({ root: field.name, query: operationOf(chosen), variants: chosen.length }));
  });
}

function argumentsText(values: Record<string, string>): string {
  const entries = Object.entries(values);
  return entries.length === 0 ? "" : `(${entries.map(([name, value]) => `${name}: ${value}`).join(", ")})`;
}
