/** Writes the schema to api/schema.graphql, where a test holds it: schema changes show up in review. */
import { writeFile } from "node:fs/promises";
import { printedSchema } from "./schema/index.js";

await writeFile(new URL("schema.graphql", import.meta.url), printedSchema());
