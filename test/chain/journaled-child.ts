/**
 * A persistent demo network in a child process, for the SIGKILL test: opens the data directory given
 * as its argument and prints "ready"; then each line "send N" on stdin sends N signed transfers at once
 * through the journaling provider, printing "acknowledged <tx hash>" as each send is answered.
 */
import { createInterface } from "node:readline";
import { Wallet } from "ethers";
import { openPersistentDemoNetwork } from "../../product/chain/persistent-network.js";

const network = await openPersistentDemoNetwork({ dataDir: process.argv[2]! });
const request = (method: string, params: unknown[]) => network.chain.provider.request({ method, params });
const payer = new Wallet(network.signers[0]!.privateKey);
let nonce = Number(await request("eth_getTransactionCount", [payer.address, "pending"]));
process.stdout.write("ready\n");

for await (const line of createInterface({ input: process.stdin })) {
  const count = Number(line.split(" ")[1]);
  const raws = await Promise.all(
    Array.from({ length: count }, () =>
      payer.signTransaction({
        type: 2,
        chainId: 31337n,
        nonce: nonce++,
        to: network.chain.deployer,
        value: 1n,
        gasLimit: 21_000n,
        maxFeePerGas: 10n ** 11n,
        maxPriorityFeePerGas: 1n,
      }),
    ),
  );
  await Promise.all(raws.map(async (raw) => process.stdout.write(`acknowledged ${await request("eth_sendRawTransaction", [raw])}\n`)));
}
