/**
 * `tracegate capture` prints one line per refused event, naming its eventID: text a document chose. An id
 * (or a reason quoting the document) with a newline or other control character must not make a line of
 * its own, or a document could forge report lines ("refused event 0 (x): …") on the user's terminal. Run
 * against a fake node whose job status holds such text, as an older or a hostile node could answer.
 */
import fc from "fast-check";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oneLine } from "../../sdk/cli/commands/capture.js";
import { main } from "../../sdk/cli/main.js";
import { epcis } from "../capture/capture-product.js";

const FORGED_ID = "line1\nrefused event 0 (x): FORGED\u0007\u001b[2K\r\u2028\u202e";

describe("the capture report's lines", () => {
  it("escape control, format and line-separator characters and the backslash, and leave other text as it is", () => {
    expect(oneLine(FORGED_ID)).toBe("line1\\u000arefused event 0 (x): FORGED\\u0007\\u001b[2K\\u000d\\u2028\\u202e");
    expect(oneLine("urn:uuid:6d1e (é, 中) \\n")).toBe("urn:uuid:6d1e (é, 中) \\\\n");
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (a, b) => {
        const line = oneLine(a);
        expect(line).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
        if (a !== b) expect(line).not.toBe(oneLine(b)); // nothing lost: two ids never print alike
        if (/^[\x20-\x5b\x5d-\x7e]*$/.test(a)) expect(line).toBe(a);
      }),
    );
  });
});

describe("tracegate capture against a node whose job status names a forged eventID", () => {
  let work: string;
  let server: ReturnType<typeof createServer>;
  let apiUrl: string;
  const status = {
    captureID: "job-1",
    running: false,
    success: false,
    captureErrorBehaviour: "rollback",
    counts: { refused: 1, not_applied: 1 },
    events: [
      { position: 0, eventID: FORGED_ID, status: "refused", code: "MALFORMED_EVENT", reason: "a \n reason\nrefused event 9 (y): FORGED too" },
      { position: 1, eventID: "urn:uuid:b", status: "not_applied" },
    ],
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "tracegate-report-lines-"));
    server = createServer((request, response) => {
      request.resume();
      const [code, body] = request.method === "POST" ? [202, { captureID: "job-1", location: "/epcis/capture/job-1" }] : [200, status];
      response.writeHead(code, { "content-type": "application/json", ...(code === 202 ? { location: "/epcis/capture/job-1" } : {}) }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(work, { recursive: true, force: true });
  });

  it("prints each refused event on one line, its id and reason escaped", async () => {
    await writeFile(join(work, "two.jsonld"), JSON.stringify(epcis.document([epcis.hold("L-1", "x"), epcis.hold("L-2", "y")])));
    let stdout = "";
    let stderr = "";
    const code = await main(["capture", "two.jsonld"], {
      env: { TRACEGATE_API_URL: apiUrl, TRACEGATE_API_TOKEN: "t" },
      cwd: work,
      stdout: { write: (chunk: string | Uint8Array) => (stdout += String(chunk)) },
      stderr: { write: (chunk: string | Uint8Array) => (stderr += String(chunk)) },
    });
    expect(code, stderr).toBe(4);
    expect(stdout.split("\n")).toEqual([
      "refused event 0 (line1\\u000arefused event 0 (x): FORGED\\u0007\\u001b[2K\\u000d\\u2028\\u202e): MALFORMED_EVENT: a \\u000a reason\\u000arefused event 9 (y): FORGED too",
      expect.stringMatching(/^two\.jsonld: 0 accepted, 0 duplicate, 1 refused, 1 not applied \(capture job job-1, rollback\)$/),
      expect.stringMatching(/^rolled back: /),
      "",
    ]);
  });
});
