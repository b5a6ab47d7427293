/**
 * Imports go one way (docs/architecture.md): domain → sdk → indexer → api → the product and its tools
 * (product/, seeds/, scripts/), with the chaincode beside the domain (it ships alone, with the rules it
 * enforces) and tests above everything. Within the top layer the embedded chain (product/chain/) uses
 * only the layers below, the demo data (seeds/) may start that chain, and the rest of the product and
 * the tools may use everything. `npm test` runs this check (test/docs/layers.test.ts).
 */
const layer = (name, may) => ({
  name: `${name}-imports-down-only`,
  comment: `${name}/ may import only ${may.join(", ")}`,
  severity: "error",
  from: { path: `^${name}/` },
  to: { path: "^(domain|chaincode|sdk|indexer|api|product|scripts|seeds|test)/", pathNot: `^(${[name, ...may].join("|")})/` },
});

module.exports = {
  forbidden: [
    layer("domain", []),
    // The chaincode ships alone with the rules it enforces and its wire format (src/codec.ts), which
    // the SDK and the indexer import from it.
    layer("chaincode", ["domain"]),
    layer("sdk", ["domain", "chaincode"]),
    layer("indexer", ["domain", "chaincode", "sdk"]),
    layer("api", ["domain", "chaincode", "sdk", "indexer"]),
    layer("product/chain", ["domain", "chaincode", "sdk"]),
    layer("seeds", ["domain", "sdk", "product/chain"]),
    layer("product", ["domain", "chaincode", "sdk", "indexer", "api", "seeds"]),
    layer("scripts", ["domain", "chaincode", "sdk", "indexer", "api", "product", "seeds"]),
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
      from: { path: "^(domain|chaincode|sdk|indexer|api|product|scripts|seeds)/" },
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
