/**
 * The API's hot reads with their SQL compiled once. Kysely rebuilds and recompiles a query's operation
 * tree on every call (a tenth of a lot history's CPU), yet the SQL of these reads depends only on their
 * shape: which optional conditions they have and how many keys an `in` list binds. A read names its
 * shape; the first call of a shape compiles the built query and keeps its SQL, later calls run that SQL
 * with their own parameters (and the engine's adapter reuses the prepared statement).
 */
import { CompiledQuery, type Compilable, type Kysely } from "kysely";

/** Larger `in` lists are compiled per call: their SQL is long and their shapes rarely repeat. */
const MAX_CACHED_PARAMETERS = 128;

const sqlByShape = new WeakMap<object, Map<string, string>>();

/**
 * The rows of `build()`'s query, whose parameters must be `parameters`, in order, and whose SQL must
 * depend on nothing but `shape` (checked on the first call of a shape: a build that binds anything else
 * is a programming error).
 */
export async function readCompiled<DB, R>(db: Kysely<DB>, shape: string, parameters: readonly unknown[], build: () => Compilable<R>): Promise<R[]> {
  if (parameters.length > MAX_CACHED_PARAMETERS) return (await db.executeQuery(build())).rows;
  let shapes = sqlByShape.get(db);
  if (shapes === undefined) sqlByShape.set(db, (shapes = new Map()));
  const known = shapes.get(shape);
  if (known !== undefined) return (await db.executeQuery(CompiledQuery.raw(known, [...parameters]) as CompiledQuery<R>)).rows;
  const query = build().compile();
  if (query.parameters.length !== parameters.length || query.parameters.some((parameter, index) => parameter !== parameters[index])) {
    throw new Error(`the query of shape ${shape} binds other parameters than it names`);
  }
  shapes.set(shape, query.sql);
  return (await db.executeQuery(query)).rows;
}
