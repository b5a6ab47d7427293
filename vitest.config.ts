import { defineConfig } from "vitest/config";

export default defineConfig({
  // One graphql module: Node resolves "graphql" to its CommonJS build (it has no exports map) for the
  // libraries, so make Vite resolve the project's own imports the same way, or GraphQLError exists twice.
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    include: ["test/**/*.test.ts"],
    // Two files at a time on this 2-core machine (vitest's default is one less than the cores): most
    // files wait on a child process, a browser or a chain. 566 s of suite with one, 445 s with two.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
