/**
 * `tracegate act <action>` run as a user runs it, against a product on its embedded defaults: actions
 * accepted and refused with the domain's codes, a retry with the same --event-id applied once, and
 * mistakes (a fractional quantity, an option the action does not take) refused before anything is sent.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentHash } from "../../domain/index.js";
import { runInProcess } from "./cli-workspace.js";
import { startNodeCli, startRecorder, type NodeCli } from "./node-cli.js";

let cli: NodeCli;
let customs: NodeJS.ProcessEnv;
let lots = 0;
const newLot = () => `CLI-ACT-${process.pid}-${(lots += 1)}`;

beforeAll(async () => {
  cli = await startNodeCli();
  customs = await cli.as("VNCUSTOMS", "OFFICER");
}, 120_000);
afterAll(() => cli?.close());

const lot = async (id: string) => cli.node.ledger.lot(id);

describe("tracegate act", () => {
  it("declares a lot from the command line, quantity exact, as the token's organisation", async () => {
    const id = newLot();
    const declaration = await cli.node.declaration(id);
    const quantity = "79228162514264337593543950335"; // 2^96 - 1: exact as a bigint, not as a float
    const args = [
      "act",
      "declare",
      "--lot",
      id,
      "--material",
      "COTTON-YARN",
      "--hs-code",
      "520512",
      "--unit",
      "KGM",
      "--quantity",
      quantity,
      "--direction",
      "IMPORT",
      "--declaration",
      declaration,
      "--json",
    ];
    // The token from a file, out of the environment and the process list.
    const { TRACEGATE_API_URL, TRACEGATE_API_TOKEN } = await cli.as("AN-PHAT", "OPERATOR");
    await writeFile(join(cli.work, "an-phat.token"), `${TRACEGATE_API_TOKEN}\n`);
    const result = await cli.run([...args, "--api-token-file", "an-phat.token"], { TRACEGATE_API_URL });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      action: "declare",
      status: "accepted",
      eventID: expect.stringMatching(/^urn:uuid:[0-9a-f-]{36}$/),
      transaction: expect.stringMatching(/^0x[0-9a-f]{64}$/),
    });
    expect(await lot(id)).toMatchObject({ state: "DECLARED", owner: "AN-PHAT", quantity: BigInt(quantity) });
  });

  it("splits a lot into the parts given as LOT=QTY", async () => {
    const id = newLot();
    await cli.declare(id, 1000n);
    const result = await cli.run(["act", "split", "--lot", id, "--part", `${id}-A=400`, "--part", `${id}-B=600`], await cli.as("AN-PHAT", "OPERATOR"));
    expect(result.code, result.stderr).toBe(0);
    expect((await lot(id))?.state).toBe("SPLIT");
    expect(await lot(`${id}-A`)).toMatchObject({ quantity: 400n, owner: "AN-PHAT" });
    expect(await lot(`${id}-B`)).toMatchObject({ quantity: 600n, owner: "AN-PHAT" });
  });

  it("arrives, holds and unholds a lot (accepted); a second hold is refused with exit 4 and the domain's code", async () => {
    const id = newLot();
    await cli.declare(id, 10n);
    const arrived = await cli.run(["act", "arrive", "--lot", id, "--facility", "VNSGN-CATLAI"], customs);
    expect(arrived.code, arrived.stderr).toBe(0);
    const eventId = /^event (urn:uuid:\S+) \(to retry this action safely: --event-id \1\)$/m.exec(arrived.stderr)?.[1];
    expect(arrived.stdout).toMatch(new RegExp(`^accepted: arrive as event ${eventId} in transaction 0x[0-9a-f]{64}, block \\d+\\n$`));
    expect((await lot(id))?.state).toBe("ARRIVED");

    expect((await cli.run(["act", "hold", "--lot", id, "--reason", "kiểm tra thực tế"], customs)).code).toBe(0);
    expect(await lot(id)).toMatchObject({ state: "HELD" });
    const again = await cli.run(["act", "hold", "--lot", id, "--reason", "again"], customs);
    expect([again.code, again.stderr]).toEqual([
      4,
      expect.stringMatching(/^tracegate: ILLEGAL_TRANSITION: .+ \(event urn:uuid:[0-9a-f-]{36}; nothing was applied\)\n/m),
    ]);
    expect((await cli.run(["act", "unhold", "--lot", id], customs)).code).toBe(0);
    expect((await lot(id))?.state).toBe("ARRIVED");
    const unknown = await cli.run(["act", "hold", "--lot", "NO-SUCH-LOT", "--reason", "x"], customs);
    expect([unknown.code, unknown.stderr]).toEqual([5, expect.stringContaining("tracegate: UNKNOWN_LOT: ")]);
  });

  it("seals a lot for transit, records its seal's alert and unseals it at the destination", async () => {
    const id = newLot();
    await cli.declare(id, 10n);
    const { time } = await cli.node.ledger.submit({ org: "VNCUSTOMS", role: "OFFICER" }, { type: "arrive", lot: id, facility: "VNSGN-CATLAI" });
    const transit = documentHash(`cli transit declaration ${id}`);
    await cli.node.ledger.submit(
      { org: "VNCUSTOMS", role: "SIGNER" },
      { type: "anchor", hash: transit, id: `TRANSIT-${id}`, kind: "TRANSIT", cid: "bafy-t", subjects: [] },
    );
    // The deadline on the ledger's clock (a new product's runs behind the wall clock), in the gate's offset.
    const deadline = time + 86_400n;
    const local = new Date(Number(deadline + 7n * 3600n) * 1000).toISOString().replace(".000Z", "+07:00");
    const seal = ["act", "seal", "--lot", id, "--facility", "VNSGN-BONDED-1", "--seal", "ES-CLI-1", "--deadline", local, "--transit", transit];
    const sealed = await cli.run(seal, customs);
    expect(sealed.code, sealed.stderr).toBe(0);
    expect(await lot(id)).toMatchObject({ state: "IN_TRANSIT", seal: "ES-CLI-1", destination: "VNSGN-BONDED-1", deadline });
    const mismatch = await cli.run(["act", "alert", "--lot", id, "--seal", "ES-OTHER", "--alert", "OPENED"], customs);
    expect([mismatch.code, mismatch.stderr]).toEqual([4, expect.stringContaining("tracegate: SEAL_MISMATCH: ")]);
    const alert = await cli.run(["act", "alert", "--lot", id, "--seal", "ES-CLI-1", "--alert", "LOW_BATTERY", "--detail", "9%"], customs);
    expect(alert.code, alert.stderr).toBe(0);
    const unsealed = await cli.run(["act", "unseal", "--lot", id, "--facility", "VNSGN-BONDED-1", "--seal-intact"], customs);
    expect(unsealed.code, unsealed.stderr).toBe(0);
    expect(await lot(id)).toMatchObject({ state: "ARRIVED", location: "VNSGN-BONDED-1", custodian: "SAIGON-TERMINAL", seal: "", deadline: 0n });
  });

  it("applies an action sent again with the same --event-id once, answering duplicate", async () => {
    const id = newLot();
    await cli.declare(id, 10n);
    await cli.apply("VNCUSTOMS", "OFFICER", { type: "arrive", lot: id, facility: "VNSGN-CATLAI" });
    const args = ["act", "hold", "--lot", id, "--reason", "documents missing", "--event-id", `urn:uuid:retry-${id}`];
    const first = await cli.run(args, customs);
    const retried = await cli.run(args, customs);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^accepted: hold as event urn:uuid:retry-/);
    // Applied twice, the second hold of a held lot would be refused (exit 4): a duplicate changes nothing.
    expect([retried.code, retried.stdout]).toEqual([0, `duplicate: event urn:uuid:retry-${id} was applied before; the hold was not applied again\n`]);
    expect(await lot(id)).toMatchObject({ state: "HELD", priorState: "ARRIVED" });
  });

  it("refuses mistakes with exit 2 before anything is sent: fractional or zero quantities, missing or stray options, unknown actions", async () => {
    const recorder = await startRecorder();
    try {
      const env = { ...customs, TRACEGATE_API_URL: recorder.url };
      const declare = [
        "act",
        "declare",
        "--lot",
        "L-1",
        "--material",
        "M",
        "--hs-code",
        "520512",
        "--unit",
        "KGM",
        "--direction",
        "IMPORT",
        "--declaration",
        `0x${"ab".repeat(32)}`,
      ];
      const seal = ["act", "seal", "--lot", "L-1", "--facility", "WH", "--seal", "S", "--transit", `0x${"ab".repeat(32)}`, "--deadline"];
      const cases: Array<[string[], string]> = [
        [[...declare, "--quantity", "1.5"], '--quantity must be a whole number of units (digits only), not "1.5"'],
        [[...declare, "--quantity", "1e3"], '--quantity must be a whole number of units (digits only), not "1e3"'],
        [[...declare, "--quantity", "0"], "INVALID_QUANTITY: goods.quantity is 0, outside 1..2^96-1"],
        [["act", "split", "--lot", "L-1", "--part", "A=1.5", "--part", "B=2"], '--part A must be a whole number of units (digits only), not "1.5"'],
        [["act", "hold", "--lot", "L-1", "--reason", ""], "REASON_REQUIRED: a reason is required"],
        [["act", "hold", "--lot", "L-1", "--facility", "VNSGN-CATLAI", "--reason", "x"], "act hold takes --lot, --reason, not --facility"],
        [["act", "arrive", "--lot", "L-1"], "give --facility"],
        // An eventID the node would refuse (a space, a newline that could forge a report line) is refused here.
        [["act", "unhold", "--lot", "L-1", "--event-id", "has space"], "--event-id must be a URI of 1 to 512 printable ASCII characters"],
        [["act", "unhold", "--lot", "L-1", "--event-id", "urn:x\naccepted: forged"], "--event-id must be a URI of 1 to 512 printable ASCII characters"],
        [["act", "unhold", "--lot", "L-1", "--event-id", `ni:///sha-256;${"ab".repeat(32)}?ver=CBV2.0`], "--event-id ni:… names an event's content"],
        [["act", "teleport", "--lot", "L-1"], "name one action: tracegate act <"],
        [["act", "unhold", "L-1"], 'act unhold takes options only, not "L-1": e.g. --lot LOT'],
        [
          [...seal, "2026-12-10 18:00"],
          '--deadline must be an ISO 8601 date-time in whole seconds with its offset (e.g. 2026-12-10T18:00:00+07:00), not "2026-12-10 18:00"',
        ],
        [[...seal, "2026-12-10T18:00:00.5Z"], "--deadline must be an ISO 8601 date-time in whole seconds"],
        [[...seal, "1970-01-01T00:00:00Z"], "INVALID_ARGUMENT: deadline must be a ledger time in seconds, 1 to 2^64-1"],
        [["act", "unseal", "--lot", "L-1", "--facility", "WH"], "give --seal-intact or --seal-broken"],
        [["act", "unseal", "--lot", "L-1", "--facility", "WH", "--seal-intact", "--seal-broken"], "give --seal-intact or --seal-broken"],
        [["act", "unseal", "--lot", "L-1", "--facility", "WH", "--seal-broken"], "REASON_REQUIRED: a reason is required"],
        [
          ["act", "alert", "--lot", "L-1", "--seal", "S", "--alert", "FIRE"],
          '--alert must be one of OPENED, ROUTE_DEVIATION, LONG_STOP, LOW_BATTERY, not "FIRE"',
        ],
        [
          ["act", "alert", "--lot", "L-1", "--seal", "S", "--alert", "OPENED", "--facility", "WH"],
          "act alert takes --lot, --seal, --alert, --detail, not --facility",
        ],
      ];
      // The command itself for the first case; the CLI's main in this process for each (what a child
      // process adds, its exit code, is the same for every case, and 20 children took ~20 s).
      const [firstArgs, firstMessage] = cases[0]!;
      expect(await cli.run(firstArgs, env)).toMatchObject({ code: 2, stderr: expect.stringContaining(firstMessage) });
      for (const [args, message] of cases) {
        const result = await runInProcess(args, env, cli.work);
        expect([args, result.code, result.stderr]).toEqual([args, 2, expect.stringContaining(message)]);
      }
      expect(recorder.requests()).toBe(0);
    } finally {
      await recorder.close();
    }
  });
});
