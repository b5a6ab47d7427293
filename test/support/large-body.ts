/** A client sending a body too large for the server, over a raw socket, as an attack run or a careless client would. */
import { connect } from "node:net";

export interface LargeBodyOptions {
  /** Streamed without a length (chunked) rather than declared by Content-Length. */
  chunked?: boolean;
  /** Where to send it; "/" by default. */
  path?: string;
  headers?: Record<string, string>;
  /** Go on sending this long after the answer, as a client busy with its body would. */
  sendOnMs?: number;
}

export interface LargeBodyOutcome {
  /** What the server answered, as read up to the end of the answer's head. */
  head: string;
  /** Body bytes sent when the answer arrived. */
  sent: number;
  /** What the connection did while sending on: "ended" (the server closed its side), "open", or the error it failed with. */
  after: string;
}

/** POSTs a body of `total` bytes to `url`, 64 KiB at a time, until the server answers (then for `sendOnMs` more). */
export function sendLarge(
  url: string,
  total: number,
  { chunked = false, path = "/", headers = {}, sendOnMs = 0 }: LargeBodyOptions = {},
): Promise<LargeBodyOutcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    // Half-open allowed: the client may still write once the server has ended its side.
    const socket = connect({ port: Number(port), host: hostname, allowHalfOpen: true });
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    let answer = "";
    let head: { head: string; sent: number } | undefined;
    let after = "open";
    let done = false;
    const pump = () => {
      while (!done && sent < total) {
        const frame = chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]) : chunk;
        sent += chunk.length;
        if (!socket.write(frame)) return void socket.once("drain", pump);
      }
    };
    const finish = () => {
      done = true;
      resolve({ ...head!, after });
      socket.destroy();
    };
    socket.on("data", (data) => {
      answer += data.toString("latin1");
      if (head !== undefined || !answer.includes("\r\n\r\n")) return;
      head = { head: answer, sent };
      if (sendOnMs === 0) finish();
      else setTimeout(finish, sendOnMs);
    });
    socket.on("end", () => {
      if (after === "open") after = "ended";
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (head === undefined) return reject(error);
      after = error.code ?? error.message;
    });
    socket.on("connect", () => {
      const length = chunked ? "transfer-encoding: chunked" : `content-length: ${total}`;
      const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.write(`POST ${path} HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\n${extra.join("")}${length}\r\n\r\n`);
      pump();
    });
  });
}
