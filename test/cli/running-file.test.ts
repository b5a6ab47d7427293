/** `<home>/running.json`, read by the CLI and the demo through one reader that names what is wrong. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRunningFile, RunningFileError } from "../../sdk/running-file.js";

describe("the running file", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "tracegate-running-"));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  const running = { pid: process.pid, apiUrl: "http://127.0.0.1:4000", metricsUrl: "http://127.0.0.1:9464/metrics" };
  const read = async (content: unknown) => {
    await writeFile(join(home, "running.json"), typeof content === "string" ? content : JSON.stringify(content));
    try {
      return readRunningFile(home);
    } catch (error) {
      if (error instanceof RunningFileError) return { field: error.field, message: error.message };
      throw error;
    }
  };

  it("is undefined where no product runs, and read back as the product wrote it", async () => {
    expect(readRunningFile(join(home, "nowhere"))).toBeUndefined();
    const chain = { rpcUrl: "http://127.0.0.1:8545", addresses: { TraceGateRegistry: `0x${"1".repeat(40)}`, CustodyRegistry: `0x${"2".repeat(40)}` } };
    expect(await read({ ...running, chain })).toEqual({ ...running, chain });
  });

  it("is refused with a RunningFileError naming the field that is wrong", async () => {
    expect(await read("{")).toMatchObject({ field: "" });
    expect(await read({ ...running, pid: "12" })).toMatchObject({ field: "pid" });
    expect(await read({ ...running, apiUrl: "localhost:4000" })).toMatchObject({ field: "apiUrl", message: expect.stringContaining("running.json") });
    expect(await read({ ...running, chain: { rpcUrl: "x" } })).toMatchObject({ field: "chain.addresses" });
  });
});
