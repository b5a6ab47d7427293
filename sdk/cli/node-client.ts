/**
 * Talks to a TraceGate node's EPCIS API with the user's bearer token, and turns each way it can fail
 * (unreachable, 5xx, a token it does not take, a node that will not act for it, a refused event) into
 * the CLI error that carries the right exit code and says what to do.
 */
import type { NodeSettings } from "./config.js";
import { EventRefusedError, NodeRefusedError, NodeUnavailableError, NotFoundError, UsageError } from "./exit-codes.js";

export interface NodeAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export interface NodeRequest {
  body?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export class NodeClient {
  constructor(readonly settings: NodeSettings) {}

  /**
   * The absolute URL of a path or of a Location the node answered with, under the API's own path: a node
   * behind a proxy at https://host/tracegate knows its paths as /epcis/..., not /tracegate/epcis/...
   */
  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : new URL(`.${path.startsWith("/") ? "" : "/"}${path}`, `${this.settings.apiUrl}/`).toString();
  }

  /** A 2xx answer's JSON; any other answer throws the error that says what went wrong. Aborting rethrows the AbortError. */
  async request(method: "GET" | "POST", path: string, request: NodeRequest = {}): Promise<NodeAnswer> {
    const url = this.url(path);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        body: request.body,
        signal: request.signal,
        headers: { ...request.headers, authorization: `Bearer ${this.settings.token}` },
      });
    } catch (error) {
      if (request.signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new NodeUnavailableError(
        `cannot reach the TraceGate API at ${this.settings.apiUrl} (${cause?.code ?? cause?.message ?? String(error)}): is the node running? check TRACEGATE_API_URL`,
      );
    }
    const text = await response.text();
    const body = parseObject(text);
    if (response.ok && body !== undefined) return { status: response.status, headers: response.headers, body };
    throw failure(this.settings.apiUrl, `${method} ${new URL(url).pathname}`, response, body);
  }
}

/** The CLI error for a node's answer that is not a success. */
function failure(apiUrl: string, what: string, response: Response, problem: Record<string, unknown> | undefined): Error {
  const { status } = response;
  const detail = typeof problem?.detail === "string" ? problem.detail : undefined;
  if (status >= 500)
    return new NodeUnavailableError(`the TraceGate node failed to answer ${what} (HTTP ${status}${detail === undefined ? "" : `: ${detail}`})`);
  if (problem === undefined || detail === undefined) {
    return new UsageError(
      `${apiUrl} did not answer ${what} as a TraceGate node does (HTTP ${status}, ${response.headers.get("content-type") ?? "no content type"}): check TRACEGATE_API_URL`,
    );
  }
  if (status === 401)
    return new UsageError(
      `the node did not take your API token (${detail}): check TRACEGATE_API_TOKEN; \`npm start\` prints a development token per organisation`,
    );
  if (status === 403)
    return new NodeRefusedError(`the node will not act for your token (${detail}): use a token of an organisation and role this node signs for`);
  if (status === 404) return new NotFoundError(detail);
  if (typeof problem.code === "string")
    return new EventRefusedError(problem.code, detail, typeof problem.eventID === "string" ? problem.eventID : "(no eventID)");
  return new UsageError(`the node refused ${what}: ${detail}`);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
