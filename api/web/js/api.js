// The pages' only way to the API: POST /graphql with the caller's bearer token and the CSRF header.
const TOKEN_KEY = "tracegate.token";

export const getToken = () => sessionStorage.getItem(TOKEN_KEY);

/** @param {string | null | undefined} token */
export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token.trim());
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** @typedef {{ message: string, extensions?: { code?: string, [name: string]: any } }} GraphQLError */

export class ApiError extends Error {
  /** @param {GraphQLError[]} errors */
  constructor(errors) {
    super(errors.map((error) => `${error.extensions?.code ?? "ERROR"}: ${error.message}`).join("; "));
    this.errors = errors;
  }
}

/**
 * Runs a query; throws ApiError when there is no data. Partial answers come back with their `errors`.
 * The answer is the schema's JSON, untyped here (api/schema.graphql describes it).
 * @param {string} query
 * @param {Record<string, unknown>} [variables]
 * @returns {Promise<any>}
 */
export async function gql(query, variables = {}) {
  const token = getToken();
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", "x-graphql-yoga-csrf": "1", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  const data = body.data ? Object.values(body.data).some((value) => value !== null) : false;
  if (!data) throw new ApiError(body.errors ?? [{ message: `HTTP ${response.status}` }]);
  return { ...body.data, errors: body.errors ?? [] };
}
