/**
 * Closing a connection after an answer without losing the answer, and without reading a body the
 * answer refused.
 *
 * Node's HTTP server ends a connection it does not keep (`connection: close`) with
 * `socket.destroySoon()`: the socket is destroyed once the answer is flushed. A client still sending a
 * body the server refused unread then meets a closed socket, its connection is reset, and it may see
 * the reset instead of the answer. Here such a socket lingers instead: reading stops, the answer is
 * followed by the end of the stream, and the socket is destroyed LINGER_MS later (Go's net/http waits
 * alike). What the client sends meanwhile fills the kernel's buffers, never the process's.
 */
import {
  createServer,
  ServerResponse,
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
  type RequestListener,
  type Server,
} from "node:http";
import type { Socket } from "node:net";

/** How long a closing connection stays open after its answer, unread. */
export const LINGER_MS = 500;

/** A request's handler; what it throws or rejects with is a failure of the server, never of the process. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/**
 * An HTTP server on which an answer given before its request's body has all arrived (a refusal: too
 * large, unauthorised, not JSON) closes the connection, lingering. Kept alive instead, Node reads and
 * discards the rest of the body to reach the next request, however long the body is.
 *
 * A handler that fails answers 500 (or, with its answer begun, cuts the connection) and the failure goes
 * to `failed`: a rejection left unhandled would end the process, and with it every server in it.
 */
export function createLingeringServer(handler: RequestHandler, failed: (error: unknown) => void): Server {
  const listener: RequestListener = (request, response) => {
    const answered = (error: unknown) => {
      failed(error);
      if (response.headersSent) return void response.destroy();
      response.writeHead(500, { "content-type": "text/plain", connection: "close" }).end("internal error: the server's log says why\n");
    };
    try {
      Promise.resolve(handler(request, response)).catch(answered);
    } catch (error) {
      answered(error);
    }
  };
  const server = createServer({ ServerResponse: ClosingUnlessBodyRead }, listener);
  lingerOnClose(server);
  return server;
}

function lingerOnClose(server: Server): void {
  server.on("connection", (socket: Socket) => {
    socket.destroySoon = () => {
      socket.pause();
      socket.end();
      setTimeout(() => socket.destroy(), LINGER_MS).unref();
    };
  });
}

class ClosingUnlessBodyRead extends ServerResponse {
  // Every answer passes here: `end()` without a head writes it through writeHead too.
  override writeHead(status: number, message?: string, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this;
  override writeHead(status: number, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this;
  override writeHead(status: number, ...rest: [never?, never?]): this {
    if (!this.req.complete && hasBody(this.req)) this.shouldKeepAlive = false;
    return super.writeHead(status, ...rest);
  }
}

/** Whether a body follows the request's head (a request without one may not be `complete` yet as its handler starts). */
function hasBody(request: IncomingMessage): boolean {
  const length = request.headers["content-length"];
  return request.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}
