// Preloaded (`node --import`) into a command that must run where no compiler is installed: any module
// of Hardhat or solc, or any file of Hardhat's build output (artifacts/), fails to load, as it would there.
import { registerHooks } from "node:module";

const REFUSED = /\/node_modules\/(hardhat|solc|@nomicfoundation)\/|\/artifacts\//;

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (REFUSED.test(resolved.url)) throw new Error(`refused on a machine without a compiler: ${resolved.url}`);
    return resolved;
  },
});
