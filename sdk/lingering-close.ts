/**
 * Closing a connection after an answer without losing the answer. Node's HTTP server ends a connection
 * it does not keep (`connection: close`, as every refusal of a body sends) with `socket.destroySoon()`:
 * the socket is destroyed once the answer is flushed. A client still sending a body the server refused
 * unread then meets a closed socket, its connection is reset, and it may see the reset instead of the
 * answer. Here such a socket lingers instead: reading stops, the answer is followed by the end of the
 * stream, and the socket is destroyed LINGER_MS later (Go's net/http waits alike). What the client
 * sends meanwhile fills the kernel's buffers, never the process's.
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";

/** How long a closing connection stays open after its answer, unread. */
export const LINGER_MS = 500;

export function lingerOnClose(server: Server): void {
  server.on("connection", (socket: Socket) => {
    socket.destroySoon = () => {
      socket.pause();
      socket.end();
      setTimeout(() => socket.destroy(), LINGER_MS).unref();
    };
  });
}
