/**
 * Ids, reasons and CIDs in the domain's format on chain, for a caller that bypasses the SDK and sends
 * raw bytes: every id a bytes32 short string of 1 to 31 printable ASCII characters (domain assertId),
 * every reason non-empty valid UTF-8 (domain assertReason: well-formed Unicode, Vietnamese included),
 * every unseal remark and alert detail valid UTF-8 too (it may be empty), every CID 1 to 128 printable
 * ASCII characters. What the contracts refuse they refuse with the domain's code and change nothing; so
 * every event they emit decodes (test/indexer/malformed-events.test.ts shows what the indexer does with
 * events an older deployment emitted).
 */
import fc from "fast-check";
import { AbiCoder, encodeBytes32String, ParamType, ZeroHash } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertId, assertReason, assertText, buildBatch, documentHash, MAX_REASON_BYTES, TraceGateError, type Actor, type Hash } from "../../domain/index.js";
import { contractInterface, decodeId, decodeRevert, encodeLot, OrganisationDirectory, revertDataOf, type TraceGateContractName } from "../../sdk/evm/codec.js";
import { EvmChain } from "../../scripts/harness/evm-chain.js";
import { TimedEvmLedger } from "../../scripts/harness/timed-evm-ledger.js";

const coder = AbiCoder.defaultAbiCoder();

/** Call data for `name` with `string` parameters sent as `bytes` (same encoding), so any bytes fit. */
function rawData(
  contract: TraceGateContractName | "ArgumentsHarness",
  name: string,
  args: unknown[],
  iface = contractInterface(contract as TraceGateContractName),
): string {
  const fragment = iface.getFunction(name)!;
  const types = fragment.inputs.map((input) => (input.type === "string" ? ParamType.from("bytes") : input));
  return fragment.selector + coder.encode(types, args).slice(2);
}

/** Raw bytes as a bytes32 word, padded with zeros (32 bytes: no terminating zero). */
const word = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString("hex").padEnd(64, "0")}`;
const utf8 = (text: string) => Buffer.from(text, "utf8");

/** The domain's verdict on the id a word holds: the SDK decodes it, the domain checks it, and it encodes back to the same word. */
function domainAcceptsId(value: string): boolean {
  const id = decodeId(value);
  try {
    assertId(id, "id");
  } catch {
    return false;
  }
  return encodeBytes32String(id) === value;
}

/**
 * The domain's verdict on a reason (`check`: assertReason) or free text (assertText) sent as these
 * bytes: their string, if they are UTF-8, must pass the check. Bytes that are not UTF-8 have no string;
 * their verdict follows the check's order (empty, too long, malformed), which measures bytes before it
 * reads them.
 */
function domainTextCode(bytes: Uint8Array, check: (text: string) => unknown = assertReason): string {
  if (bytes.length === 0 && check === assertReason) return "REASON_REQUIRED";
  if (bytes.length > MAX_REASON_BYTES) return "TEXT_TOO_LONG";
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return "INVALID_ARGUMENT";
  }
  try {
    check(text);
    return "accepted";
  } catch (error) {
    return (error as TraceGateError).code;
  }
}

const CID = /^[\x21-\x7e]{1,128}$/;

/** Bytes near the edges that matter: zero, space, printable, DEL, continuation bytes, leads, invalid. */
const edgeByte = fc.constantFrom(
  0x00,
  0x01,
  0x20,
  0x21,
  0x41,
  0x7e,
  0x7f,
  0x80,
  0x8f,
  0x90,
  0x9f,
  0xa0,
  0xbf,
  0xc0,
  0xc1,
  0xc2,
  0xdf,
  0xe0,
  0xed,
  0xee,
  0xef,
  0xf0,
  0xf4,
  0xf5,
  0xff,
);
const someByte = fc.oneof(edgeByte, fc.integer({ min: 0, max: 255 }));
/** Mostly short strings of UTF-8 text, with bytes changed, cut or inserted. */
const textBytes = fc.oneof(
  fc.uint8Array({ maxLength: 80 }),
  fc.array(someByte, { maxLength: 80 }).map((bytes) => Uint8Array.from(bytes)),
  fc.string({ unit: "binary", maxLength: 40 }).map(utf8),
  fc
    .tuple(fc.string({ unit: "binary", minLength: 1, maxLength: 40 }), fc.nat(), someByte, fc.constantFrom("set", "cut", "insert"))
    .map(([text, at, byte, how]) => {
      const bytes = [...utf8(text)];
      const i = at % bytes.length;
      if (how === "set") bytes[i] = byte;
      else if (how === "cut") bytes.length = i;
      else bytes.splice(i, 0, byte);
      return Uint8Array.from(bytes);
    }),
);
const idWord = fc.oneof(
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map(word),
  fc.array(someByte, { maxLength: 32 }).map((bytes) => word(Uint8Array.from(bytes))),
  fc.stringMatching(/^[\x21-\x7e]{1,32}$/).map((id) => word(utf8(id))),
  fc.tuple(fc.stringMatching(/^[\x21-\x7e]{1,31}$/), fc.nat(31), someByte).map(([id, at, byte]) => {
    const bytes = Buffer.alloc(32);
    utf8(id).copy(bytes);
    bytes[at] = byte;
    return word(bytes);
  }),
);

describe("argument formats on chain", () => {
  let chain: EvmChain;
  beforeAll(async () => {
    chain = await EvmChain.start();
  });
  afterAll(() => chain.stop());

  describe("each check against the domain's rule (test harness over contracts/libraries/Arguments.sol)", () => {
    let harness: string;
    const iface = () => chain.connection.ethers.getContractFactory("ArgumentsHarness").then((factory) => factory.interface);
    const verdict = async (data: string) => {
      try {
        await chain.connection.provider.request({ method: "eth_call", params: [{ to: harness, data }, "latest"] });
        return "accepted";
      } catch (error) {
        const decoded = decodeRevert(revertDataOf(error)!, new OrganisationDirectory());
        return decoded instanceof TraceGateError ? decoded.code : String(decoded.errorName);
      }
    };
    beforeAll(async () => {
      const deployed = await (await chain.connection.ethers.getContractFactory("ArgumentsHarness")).deploy();
      harness = await deployed.getAddress();
    });

    it("an id: 1 to 31 printable ASCII characters without space, then zero bytes", async () => {
      const harnessInterface = await iface();
      const seen = new Set<string>();
      await fc.assert(
        fc.asyncProperty(idWord, async (value) => {
          const expected = domainAcceptsId(value) ? "accepted" : "INVALID_ARGUMENT";
          seen.add(expected);
          expect(await verdict(harnessInterface.encodeFunctionData("requireId", [value]))).toBe(expected);
        }),
        { numRuns: 1000 },
      );
      expect([...seen].sort()).toEqual(["INVALID_ARGUMENT", "accepted"]);
    });

    it("a reason: non-empty, at most 500 bytes, valid UTF-8 (as a strict TextDecoder reads it)", async () => {
      const harnessInterface = await iface();
      const seen = new Set<string>();
      const data = (bytes: Uint8Array) => rawData("ArgumentsHarness", "requireReason", [bytes], harnessInterface);
      for (const reason of ["Nghi vấn khai sai mã HS, chờ kiểm tra thực tế", "漢字 🚢 \u{10FFFF}\u0000", "\uFFFD"]) {
        expect(await verdict(data(utf8(reason)))).toBe("accepted");
      }
      // Overlong, surrogate, beyond U+10FFFF, cut short, a lone continuation byte.
      for (const bytes of [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x41, 0xe1, 0xba], [0x80]]) {
        expect(await verdict(data(Uint8Array.from(bytes)))).toBe("INVALID_ARGUMENT");
      }
      // At the limit and over it, whole text (Vietnamese, 3-byte letters) and any bytes.
      const nearLimit = fc.oneof(
        fc
          .integer({ min: MAX_REASON_BYTES - 6, max: MAX_REASON_BYTES + 6 })
          .map((length) => utf8("ệ".repeat(length).slice(0, Math.floor(length / 3)) + "x".repeat(length % 3))),
        fc.uint8Array({ minLength: MAX_REASON_BYTES - 2, maxLength: MAX_REASON_BYTES + 2 }),
      );
      expect(await verdict(data(utf8(`${"ệ".repeat(166)}ab`)))).toBe("accepted");
      expect(await verdict(data(utf8(`${"ệ".repeat(167)}`)))).toBe("TEXT_TOO_LONG");
      await fc.assert(
        fc.asyncProperty(fc.oneof(textBytes, nearLimit), async (bytes) => {
          const expected = domainTextCode(bytes);
          seen.add(expected);
          expect(await verdict(data(bytes))).toBe(expected);
        }),
        { numRuns: 1500 },
      );
      expect([...seen].sort()).toEqual(["INVALID_ARGUMENT", "REASON_REQUIRED", "TEXT_TOO_LONG", "accepted"]);
    });

    it("free text (an unseal's remark, an alert's detail): a reason's limits, but it may be empty", async () => {
      const harnessInterface = await iface();
      const seen = new Set<string>();
      const data = (bytes: Uint8Array) => rawData("ArgumentsHarness", "requireText", [bytes], harnessInterface);
      expect(await verdict(data(new Uint8Array()))).toBe("accepted");
      expect(await verdict(data(utf8(`${"ệ".repeat(166)}ab`)))).toBe("accepted");
      expect(await verdict(data(utf8(`${"ệ".repeat(167)}`)))).toBe("TEXT_TOO_LONG");
      await fc.assert(
        fc.asyncProperty(textBytes, async (bytes) => {
          const expected = domainTextCode(bytes, (text) => assertText(text, "detail"));
          seen.add(expected);
          expect(await verdict(data(bytes))).toBe(expected);
        }),
        { numRuns: 600 },
      );
      expect([...seen].sort()).toEqual(["INVALID_ARGUMENT", "accepted"]);
    });

    it("a CID: 1 to 128 printable ASCII characters without space", async () => {
      const harnessInterface = await iface();
      const cids = fc.oneof(textBytes, fc.stringMatching(/^[\x21-\x7e]{120,130}$/).map(utf8), fc.stringMatching(/^[\x21-\x7e]{1,70}$/).map(utf8));
      await fc.assert(
        fc.asyncProperty(cids, async (bytes) => {
          const text = Buffer.from(bytes).toString("latin1");
          const expected = CID.test(text) ? "accepted" : "INVALID_ARGUMENT";
          expect(await verdict(rawData("ArgumentsHarness", "requireCid", [bytes], harnessInterface))).toBe(expected);
        }),
        { numRuns: 600 },
      );
    });
  });

  describe("the contracts, called directly with raw bytes", () => {
    const CUSTOMS: Actor = { org: "VNCUSTOMS", role: "OFFICER" };
    const ANPHAT: Actor = { org: "AN-PHAT", role: "OPERATOR" };
    const ANPHAT_SIGNER: Actor = { org: "AN-PHAT", role: "SIGNER" };
    const declaration: Hash = documentHash("declaration of AP-FAB-1");
    const member = documentHash("batch member 0");
    const batch = buildBatch([member, documentHash("batch member 1")]);
    let ledger: TimedEvmLedger;
    let time = 1_800_000_000n;

    /** Sends raw call data as `actor`; the domain code it reverts with, or "accepted". */
    async function send(actor: Actor | "registrar", contract: TraceGateContractName, data: string): Promise<string> {
      try {
        await chain.send(actor === "registrar" ? chain.registrar.address : ledger.accountOf(actor), contract, data);
        return "accepted";
      } catch (error) {
        const decoded = decodeRevert(revertDataOf(error)!, ledger.orgs);
        return decoded instanceof TraceGateError ? decoded.code : String(decoded.errorName);
      }
    }
    const lotHash = async (id: string) =>
      await chain.call("CustodyRegistry", contractInterface("CustodyRegistry").encodeFunctionData("lotHash", [encodeBytes32String(id)]));

    beforeAll(async () => {
      ledger = new TimedEvmLedger(chain);
      await ledger.register(
        [
          { id: "VNCUSTOMS", kind: "CUSTOMS" },
          { id: "AN-PHAT", kind: "ENTERPRISE" },
        ],
        [{ id: "VNLSN-HUUNGHI", kind: "BORDER_GATE", operator: "VNCUSTOMS" }],
      );
      const submit = (actor: Actor, action: Parameters<TimedEvmLedger["submit"]>[1]) => ledger.submit(actor, action, (time += 10n));
      await submit(ANPHAT_SIGNER, { type: "anchor", hash: declaration, id: "DECL-1", kind: "DECLARATION", cid: "bafy-decl-1", subjects: ["AP-FAB-1"] });
      await submit(ANPHAT_SIGNER, { type: "anchorBatch", root: batch.root, kind: "DECLARATION", count: 2 });
      await submit(ANPHAT, {
        type: "declare",
        lot: "AP-FAB-1",
        goods: { material: "FAB-COT", hsCode: "52085200", unit: "MTR", quantity: 1000n },
        direction: "IMPORT",
        preferenceClaimed: false,
        permitRequired: false,
        declaration,
      });
      await submit(CUSTOMS, { type: "arrive", lot: "AP-FAB-1", facility: "VNLSN-HUUNGHI" });
    });

    it("refuse reasons that are not UTF-8 in hold, destroy, unseal, alert, revoke and revokeBatchMember, and change nothing", async () => {
      const lot = encodeLot((await ledger.lot("AP-FAB-1"))!, ledger.orgs);
      const before = await lotHash("AP-FAB-1");
      for (const reason of [
        Uint8Array.from([0xff]),
        Uint8Array.from([0x48, 0xc3, 0x28]),
        Uint8Array.from([0xed, 0xa0, 0x80]),
        utf8("chờ kiểm tra").subarray(0, 4),
      ]) {
        expect(await send(CUSTOMS, "CustodyRegistry", rawData("CustodyRegistry", "hold", [lot, reason]))).toBe("INVALID_ARGUMENT");
        expect(await send(CUSTOMS, "CustodyRegistry", rawData("CustodyRegistry", "destroy", [lot, reason]))).toBe("INVALID_ARGUMENT");
        for (const sealIntact of [true, false]) {
          const unseal = rawData("CustodyRegistry", "unseal", [lot, encodeBytes32String("VNLSN-HUUNGHI"), sealIntact, reason]);
          expect(await send(CUSTOMS, "CustodyRegistry", unseal)).toBe("INVALID_ARGUMENT");
        }
        const alert = rawData("CustodyRegistry", "alert", [lot, encodeBytes32String("ESEAL-1"), 0, reason]);
        expect(await send(CUSTOMS, "CustodyRegistry", alert)).toBe("INVALID_ARGUMENT");
        expect(await send(ANPHAT_SIGNER, "TraceGateRegistry", rawData("TraceGateRegistry", "revoke", [declaration, reason]))).toBe("INVALID_ARGUMENT");
        expect(
          await send(ANPHAT_SIGNER, "TraceGateRegistry", rawData("TraceGateRegistry", "revokeBatchMember", [batch.root, member, batch.proofs[0], reason])),
        ).toBe("INVALID_ARGUMENT");
      }
      expect(await lotHash("AP-FAB-1")).toBe(before);
      expect((await ledger.document(declaration))?.status).toBe("VALID");
      expect(await ledger.isBatchMemberRevoked(batch.root, member)).toBe(false);
      // A Vietnamese reason is valid UTF-8: accepted.
      expect(await send(CUSTOMS, "CustodyRegistry", rawData("CustodyRegistry", "hold", [lot, utf8("Nghi vấn khai sai mã HS")]))).toBe("accepted");
    });

    it("refuse ids that are not 1 to 31 printable ASCII characters then zeros, and change nothing", async () => {
      const malformed = [
        word(utf8("A".repeat(32))), // no terminating zero
        word(utf8("LOT 2")), // a space
        word(Uint8Array.from([0x4c, 0xc3, 0xb4])), // "Lô": not ASCII
        word(Uint8Array.from([0x4c, 0x00, 0x32])), // a zero inside
        word(Uint8Array.from([0x00, 0x4c])), // a zero first
        word(utf8("LOT\x7f")), // DEL
      ];
      const goods = { material: encodeBytes32String("FAB-COT"), hsCode: encodeBytes32String("52085200"), unit: encodeBytes32String("MTR"), quantity: 1n };
      const anchoredBefore = await ledger.document(documentHash("a new declaration"));
      for (const id of malformed) {
        const declare = { lot: id, goods, direction: 1, preferenceClaimed: false, permitRequired: false, declaration };
        expect(await send(ANPHAT, "CustodyRegistry", rawData("CustodyRegistry", "declare", [declare, []]))).toBe("INVALID_ARGUMENT");
        expect(
          await send(
            ANPHAT,
            "CustodyRegistry",
            rawData("CustodyRegistry", "declare", [{ ...declare, lot: encodeBytes32String("AP-FAB-9"), goods: { ...goods, unit: id } }, []]),
          ),
        ).toBe("INVALID_ARGUMENT");
        expect(await lotHash("AP-FAB-9")).toBe(ZeroHash);
        expect(
          await send(
            ANPHAT_SIGNER,
            "TraceGateRegistry",
            rawData("TraceGateRegistry", "anchor", [documentHash("a new declaration"), id, 0, utf8("bafy-new"), []]),
          ),
        ).toBe("INVALID_ARGUMENT");
        expect(
          await send(
            ANPHAT_SIGNER,
            "TraceGateRegistry",
            rawData("TraceGateRegistry", "anchor", [documentHash("a new declaration"), encodeBytes32String("DECL-9"), 0, utf8("bafy-new"), [id]]),
          ),
        ).toBe("INVALID_ARGUMENT");
        expect(await send("registrar", "TraceGateRegistry", rawData("TraceGateRegistry", "registerOrganisation", [id, 1]))).toBe("INVALID_ARGUMENT");
        expect(await send("registrar", "TraceGateRegistry", rawData("TraceGateRegistry", "registerFacility", [id, 0, encodeBytes32String("VNCUSTOMS")]))).toBe(
          "INVALID_ARGUMENT",
        );
      }
      expect(await ledger.document(documentHash("a new declaration"))).toEqual(anchoredBefore);
      // CIDs: printable ASCII only.
      for (const cid of [utf8("bafy new"), Uint8Array.from([0x62, 0x00]), utf8("bafyé")]) {
        expect(
          await send(
            ANPHAT_SIGNER,
            "TraceGateRegistry",
            rawData("TraceGateRegistry", "anchor", [documentHash("a new declaration"), encodeBytes32String("DECL-9"), 0, cid, []]),
          ),
        ).toBe("INVALID_ARGUMENT");
      }
    });
  });
});
