import { defineConfig } from "vitest/config";

/**
 * Files that need a module registry of their own: one replaces `node:fs` under the modules it imports
 * (vi.mock), one measures what V8's collector promotes, which other files' leftovers would move.
 */
const ISOLATED = ["test/chain/journal-commit.test.ts", "test/api/request-memory.test.ts"];

export default defineConfig({
  // One graphql module: Node resolves "graphql" to its CommonJS build (it has no exports map) for the
  // libraries, so make Vite resolve the project's own imports the same way, or GraphQLError exists twice.
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    // Two files at a time on this 2-core machine (vitest's default is one less than the cores): most
    // files wait on a child process, a browser or a chain. 566 s of suite with one, 445 s with two.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      // Every other file shares its worker's modules with the files run there before it: importing
      // Hardhat, GraphQL and the store again for each of 180 files cost ~100 s of the suite's CPU.
      { extends: true, test: { name: "shared", include: ["test/**/*.test.ts"], exclude: ISOLATED, isolate: false } },
      { extends: true, test: { name: "isolated", include: ISOLATED, isolate: true } },
    ],
  },
});
