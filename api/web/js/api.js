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

  /** The first error's code (UNAUTHENTICATED, FORBIDDEN, UNREACHABLE, …), if it has one. */
  get code() {
    return this.errors[0]?.extensions?.code;
  }
}

/** The code of anything thrown, when it is an ApiError with one (UNAUTHENTICATED, FORBIDDEN, UNREACHABLE, …). @type {(error: unknown) => string | undefined} */
export const errorCode = (error) => (error instanceof ApiError ? error.code : undefined);

/** The pages' own code for a request that got no answer from TraceGate (it may still have reached it). */
export const UNREACHABLE = "UNREACHABLE";

/**
 * fetch, failing as ApiError: UNREACHABLE when no answer came, HTTP_<status> when the answer is not
 * TraceGate's JSON (a proxy's error page, or a path the browser normalised to a page).
 * @param {string} url
 * @param {RequestInit} [init]
 * @returns {Promise<{ response: Response, body: any }>}
 */
export async function requestJson(url, init) {
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError([{ message: "TraceGate is not answering", extensions: { code: UNREACHABLE } }]);
  }
  if (!/[/+]json\b/.test(response.headers.get("content-type") ?? ""))
    throw new ApiError([{ message: `TraceGate answered HTTP ${response.status}, not with its API's JSON`, extensions: { code: `HTTP_${response.status}` } }]);
  return { response, body: await response.json() };
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
  const { response, body } = await requestJson("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", "x-graphql-yoga-csrf": "1", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const data = body.data ? Object.values(body.data).some((value) => value !== null) : false;
  if (!data) throw new ApiError(body.errors ?? [{ message: `HTTP ${response.status}` }]);
  return { ...body.data, errors: body.errors ?? [] };
}
