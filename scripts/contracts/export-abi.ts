/**
 * `npm run abi`: writes the contracts' ABIs from Hardhat's build output (artifacts/) to sdk/evm/abi/,
 * where the SDK, the indexer and the API read them, so that a machine running only those needs no
 * compiler. test/contracts/shipped-abi.test.ts fails when the committed files differ from a fresh build.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { TRACEGATE_CONTRACTS } from "../../sdk/evm/artifacts.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Each shipped file's path (from the repository root) and the text it must hold, from the build in `artifactsDir`. */
export async function shippedAbis(artifactsDir = `${ROOT}artifacts`): Promise<Array<{ path: string; text: string }>> {
  return Promise.all(
    TRACEGATE_CONTRACTS.map(async (name) => {
      const artifact = JSON.parse(await readFile(`${artifactsDir}/contracts/${name}.sol/${name}.json`, "utf8")) as { abi: unknown };
      return { path: `sdk/evm/abi/${name}.json`, text: `${JSON.stringify(artifact.abi, null, 1)}\n` };
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const { path, text } of await shippedAbis()) {
    await writeFile(`${ROOT}${path}`, text);
    process.stderr.write(`wrote ${path}\n`);
  }
}
