import { defineConfig } from "vitest/config";

export default defineConfig({
  // One graphql module: Node resolves "graphql" to its CommonJS build (it has no exports map) for the
  // libraries, so make Vite resolve the project's own imports the same way, or GraphQLError exists twice.
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
