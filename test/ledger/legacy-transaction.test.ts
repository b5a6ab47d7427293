/** The transactor's own signer gives, byte for byte, what ethers' Wallet.signTransaction gives. */
import fc from "fast-check";
import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { signLegacyTransaction } from "../../sdk/evm/legacy-transaction.js";

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max }).map((array) => `0x${Buffer.from(array).toString("hex")}`);

describe("signLegacyTransaction", () => {
  it("signs any legacy transaction exactly as ethers does", async () => {
    await fc.assert(
      fc.asyncProperty(
        bytes(32, 32).filter((key) => BigInt(key) > 0n && BigInt(key) < 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n),
        fc.record({
          chainId: fc.bigInt({ min: 1n, max: 2n ** 40n }),
          nonce: fc.integer({ min: 0, max: 2 ** 31 }),
          gasPrice: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 2n ** 96n })),
          gasLimit: fc.bigInt({ min: 21_000n, max: 2n ** 40n }),
          to: bytes(20, 20),
          // Lengths around RLP's 55-byte and one-byte boundaries, and large calldata.
          data: fc.oneof(bytes(0, 2), bytes(50, 60), bytes(250, 260), bytes(65_530, 65_540)),
        }),
        async (key, tx) => {
          const wallet = new Wallet(key);
          const expected = await wallet.signTransaction({ type: 0, ...tx });
          expect(signLegacyTransaction(wallet.signingKey, tx)).toBe(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
