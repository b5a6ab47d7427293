/**
 * Imports go one way (docs/architecture.md): domain → sdk → indexer → api → the product and its tools
 * (scripts/, seeds/), with the chaincode beside the domain (it ships alone, with the rules it enforces)
 * and tests above everything. `npm test` runs this check (test/docs/layers.test.ts).
 */
const layer = (name, may, known = []) => ({
  name: `${name}-imports-down-only`,
  comment: `${name}/ may import only ${may.join(", ")}`,
  severity: "error",
  from: { path: `^${name}/` },
  to: { path: "^(domain|chaincode|sdk|indexer|api|scripts|seeds|test)/", pathNot: `^(${[name, ...may].join("|")})/|${["^$", ...known].join("|")}` },
});

module.exports = {
  forbidden: [
    layer("domain", []),
    // The chaincode ships alone with the rules it enforces and its wire format (src/codec.ts), which
    // the SDK and the indexer import from it.
    layer("chaincode", ["domain"]),
    // Known until the embedded chain leaves sdk/ for the product's side (issue 14, item 3): it deploys
    // the contracts with the Ignition module kept where Hardhat's CLI finds it.
    layer("sdk", ["domain", "chaincode"], ["^scripts/ignition/TraceGate[.]ts$"]),
    layer("indexer", ["domain", "chaincode", "sdk"]),
    layer("api", ["domain", "chaincode", "sdk", "indexer"]),
    layer("seeds", ["domain", "sdk"]),
    layer("scripts", ["domain", "chaincode", "sdk", "indexer", "api", "seeds"]),
    {
      name: "store-through-its-entry",
      comment: "the API reaches the store through indexer/store/index.ts, not the indexer's write path",
      severity: "error",
      from: { path: "^api/" },
      to: { path: "^indexer/store/", pathNot: "^indexer/store/index[.]ts$" },
    },
    {
      name: "no-cycles",
      comment: "modules that need each other at run time (type-only imports vanish when compiled)",
      severity: "error",
      from: { path: "^(domain|chaincode|sdk|indexer|api|scripts|seeds)/" },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|artifacts|cache|types)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".json"] },
  },
};
