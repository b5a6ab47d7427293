/** A GraphQL subscription over server-sent events, read message by message. */
import { CSRF_HEADER } from "../../api/yoga.js";

export interface Subscription {
  /** The next `next` message's payload (waits for it). */
  next(): Promise<{ data?: any; errors?: Array<{ extensions?: { code?: string } }> }>;
  /** The messages left until the server ends the stream (event name and parsed data). */
  rest(): Promise<Array<{ event: string; data?: any }>>;
  close(): void;
}

export async function subscribe(url: string, token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<Subscription> {
  const abort = new AbortController();
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    signal: abort.signal,
    headers: { "content-type": "application/json", accept: "text/event-stream", [CSRF_HEADER]: "1", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return {
    async next() {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split("\n").find((line) => line.startsWith("data:"));
          if (message.startsWith("event: next") && data !== undefined) return JSON.parse(data.slice(5));
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error(`the subscription ended: ${buffer}`);
        buffer += value;
      }
    },
    async rest() {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
      }
      return buffer
        .split("\n\n")
        .filter((message) => message.startsWith("event:"))
        .map((message) => {
          const data = message
            .split("\n")
            .find((line) => line.startsWith("data:"))
            ?.slice(5)
            .trim();
          return { event: message.split("\n")[0]!.slice(6).trim(), ...(data ? { data: JSON.parse(data) } : {}) };
        });
    },
    close: () => abort.abort(),
  };
}
