/**
 * The servers' shared rule (sdk/lingering-close.ts): an answer given before the request's body has all
 * arrived closes the connection, lingering, so a client still sending reads the answer and the server
 * reads no more of a body it refused; an answer after the whole body, or to a request without one,
 * keeps the connection for the next request.
 */
import type { AddressInfo } from "node:net";
import type { IncomingMessage, Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLingeringServer, LINGER_MS } from "../../sdk/lingering-close.js";
import { sendLarge } from "../support/large-body.js";

let server: Server;
let url: string;
/** Body bytes the server's handlers read, all requests together. */
let bytesRead = 0;
/** What the server's handlers failed with. */
const failures: unknown[] = [];

beforeAll(async () => {
  // "/refuse" answers at once, unread, as a refusal does; "/read" reads the whole body first; the
  // "/throw…" paths fail, before or after their answer began.
  server = createLingeringServer(
    async (request, response) => {
      if (request.url === "/read") return void readAll(request).then(() => response.writeHead(200).end("read\n"));
      if (request.url === "/throw") throw new RangeError("Invalid string length");
      if (request.url === "/throw-later") {
        await Promise.resolve();
        throw new URIError("URI malformed");
      }
      if (request.url === "/throw-midway") {
        response.writeHead(200).write("half an answer");
        throw new Error("no more");
      }
      response.writeHead(request.method === "GET" ? 200 : 413).end("answered\n");
    },
    (error) => failures.push(error),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function readAll(request: IncomingMessage): Promise<void> {
  for await (const chunk of request as AsyncIterable<Buffer>) bytesRead += chunk.length;
}

it("closes a connection whose body it answered unread, and reads no more of it", async () => {
  for (const chunked of [false, true]) {
    bytesRead = 0;
    const { head, sent, after } = await sendLarge(url, 150 * 1024 * 1024, { chunked, path: "/refuse", sendOnMs: LINGER_MS / 5 });
    expect(head, `chunked: ${chunked}`).toMatch(/^HTTP\/1\.1 413 /);
    expect(head, `chunked: ${chunked}`).toMatch(/\r\nconnection: close\r\n/i);
    expect(sent, `chunked: ${chunked}`).toBeLessThan(32 * 1024 * 1024);
    expect(after, `chunked: ${chunked}`).toBe("ended");
    expect(bytesRead).toBe(0);
  }
});

it("keeps the connection after an answer to the whole body, or to a request without one", async () => {
  for (const [method, path, body] of [
    ["POST", "/read", "x".repeat(100_000)],
    ["GET", "/refuse", undefined],
    ["POST", "/refuse", undefined],
  ] as const) {
    const response = await fetch(`${url}${path}`, { method, body });
    expect(response.headers.get("connection"), `${method} ${path}`).toBe("keep-alive");
    await response.text();
  }
});

it("answers 500 when a handler fails, reports the failure, and goes on serving", async () => {
  for (const path of ["/throw", "/throw-later"]) {
    const response = await fetch(`${url}${path}`);
    expect(response.status, path).toBe(500);
    expect(await response.text(), path).toMatch(/internal error/);
  }
  // An answer already begun cannot become a 500: the connection is cut, so the client sees it incomplete.
  await expect(fetch(`${url}/throw-midway`).then((response) => response.text())).rejects.toThrow();
  expect(failures.map((error) => (error as Error).message)).toEqual(["Invalid string length", "URI malformed", "no more"]);
  expect((await fetch(`${url}/refuse`)).status).toBe(200);
});
