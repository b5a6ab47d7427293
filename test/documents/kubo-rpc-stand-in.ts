import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MemoryBlockstore } from "blockstore-core";
import { exporter } from "ipfs-unixfs-exporter";
import { importBytes } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { CID } from "multiformats/cid";
import { collect } from "../../sdk/documents/bytes.js";
import { carStream, dagBlocks } from "../../sdk/documents/dag-car.js";

/**
 * A loopback stand-in for the Kubo RPC endpoints the SDK uses, because Kubo cannot run on this machine.
 * It keeps Kubo's wire format: POST only (405 otherwise), multipart uploads to /api/v0/add, parameters in
 * the query string, newline-delimited JSON answers, streamed bytes for cat and dag/export, and errors as
 * HTTP 500 with {"Message","Code","Type"}. CIDs come from the UnixFS importer with the options the request
 * asks for and Kubo's defaults otherwise (cid-version 0; raw-leaves on for cid-version 1; size-262144;
 * 174 links per node, changeable like Kubo's Import.UnixFSFileMaxLinks). The node has no peers: a block it
 * lacks is "not found locally" with offline=true, and otherwise a search that lasts the request's timeout.
 */
export interface KuboStandIn {
  url: string;
  /** Every request received, in order. */
  requests: Array<{ method: string; path: string; params: URLSearchParams }>;
  /** Recursively pinned roots. */
  pins: Set<string>;
  close(): Promise<void>;
}

export async function startKuboStandIn(config: { fileMaxLinks?: number } = {}): Promise<KuboStandIn> {
  const blocks = new MemoryBlockstore();
  const pins = new Set<string>();
  const requests: KuboStandIn["requests"] = [];

  const endpoints: Record<string, Endpoint> = {
    async add(params, request, response) {
      if (params.get("trickle") === "true") throw new KuboError("the stand-in only builds balanced DAGs");
      if ((params.get("hash") ?? "sha2-256") !== "sha2-256") throw new KuboError("the stand-in only hashes sha2-256");
      const cidVersion = params.get("cid-version") === "1" ? 1 : 0;
      const chunkSize = Number(/^size-(\d+)$/.exec(params.get("chunker") ?? "size-262144")?.[1] ?? Number.NaN);
      if (!Number.isInteger(chunkSize)) throw new KuboError("unrecognized chunker option");
      const options = {
        cidVersion,
        rawLeaves: (params.get("raw-leaves") ?? String(cidVersion === 1)) === "true",
        chunker: fixedSize({ chunkSize }),
        layout: balanced({ maxChildrenPerNode: config.fileMaxLinks ?? 174 }),
      } as const;
      const form = await new Response(await collect(request), {
        headers: { "content-type": request.headers["content-type"] ?? "" },
      }).formData();
      const lines: string[] = [];
      for (const [, part] of form) {
        if (typeof part === "string") continue;
        const { cid, size } = await importBytes(new Uint8Array(await part.arrayBuffer()), blocks, options);
        if (params.get("pin") !== "false") pins.add(cid.toString());
        lines.push(JSON.stringify({ Name: part.name || cid.toString(), Hash: cid.toString(), Size: String(size) }));
      }
      response.writeHead(200, { "content-type": "application/json", "x-chunked-output": "1" });
      response.end(lines.map((line) => `${line}\n`).join(""));
    },

    async cat(params, _request, response) {
      const root = await present(params);
      const entry = await exporter(root, blocks);
      if (entry.type !== "file" && entry.type !== "raw") throw new KuboError("this dag node is a directory");
      await stream(response, entry.content());
    },

    async "block/stat"(params, _request, response) {
      const root = await present(params);
      json(response, { Key: root.toString(), Size: (await collect(blocks.get(root))).length });
    },

    async "pin/add"(params, _request, response) {
      const root = await present(params);
      pins.add(root.toString());
      json(response, { Pins: [root.toString()] });
    },

    async "pin/rm"(params, _request, response) {
      const root = argument(params);
      if (!pins.delete(root.toString())) throw new KuboError("not pinned or pinned indirectly");
      json(response, { Pins: [root.toString()] });
    },

    async "dag/export"(params, _request, response) {
      const root = await present(params);
      await stream(response, carStream(root, dagBlocks(root, blocks)));
    },
  };

  /** The `arg` root if held locally; otherwise Kubo's answer for a block nobody serves. */
  async function present(params: URLSearchParams): Promise<CID> {
    const root = argument(params);
    if (await blocks.has(root)) return root;
    if (params.get("offline") === "true") {
      throw new KuboError(`block was not found locally (offline): ipld: could not find ${root}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Number.parseInt(params.get("timeout") ?? "0", 10)));
    throw new KuboError("context deadline exceeded");
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const path = url.pathname.replace(/^\/api\/v0\//, "");
    requests.push({ method: request.method ?? "", path, params: url.searchParams });
    const endpoint = url.pathname.startsWith("/api/v0/") ? endpoints[path] : undefined;
    if (endpoint === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("404 page not found");
    } else if (request.method !== "POST") {
      response.writeHead(405, { "content-type": "text/plain" }).end(`405 - Method Not Allowed`);
    } else {
      endpoint(url.searchParams, request, response).catch((error: unknown) => {
        if (response.headersSent) return void response.destroy(); // a failure mid-stream cuts the stream, as Kubo does
        const message = error instanceof KuboError ? error.message : String(error);
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ Message: message, Code: 0, Type: "error" }));
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    pins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Endpoint = (params: URLSearchParams, request: IncomingMessage, response: ServerResponse) => Promise<void>;

class KuboError extends Error {}

function argument(params: URLSearchParams): CID {
  const arg = params.get("arg");
  if (arg === null) throw new KuboError('argument "ipfs-path" is required');
  try {
    return CID.parse(arg.replace(/^\/ipfs\//, ""));
  } catch {
    throw new KuboError(`invalid path "${arg}"`);
  }
}

function json(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { "content-type": "application/json" }).end(`${JSON.stringify(body)}\n`);
}

/** Kubo streams command output in chunked encoding, marked with X-Stream-Output. */
async function stream(response: ServerResponse, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  response.writeHead(200, { "content-type": "text/plain", "x-stream-output": "1" });
  for await (const chunk of chunks) response.write(chunk);
  response.end();
}
