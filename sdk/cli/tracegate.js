#!/usr/bin/env node
// The `tracegate` command (see main.ts). It runs the TypeScript sources through tsx, on the
// project's own Node 22 (npx and npm scripts put node_modules/.bin first on PATH).

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  process.stderr.write(
    `tracegate needs Node.js 22 (this is ${process.version}): run it as \`npm run tracegate -- ...\` inside the repository, which uses the project's Node 22\n`,
  );
  process.exit(2);
}
const { register } = await import("tsx/esm/api");
register();
const { main, handlesInterrupt } = await import("./main.ts");
// `npm run tracegate` runs from the package root: resolve the user's paths from where they typed it.
const cwd = process.env.npm_lifecycle_event === "tracegate" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
const argv = process.argv.slice(2);
// Ctrl-C: capture and act say where the work they sent to the node stands, then exit; a second Ctrl-C
// (or any other command) ends at once, as usual.
const interrupt = new AbortController();
if (handlesInterrupt(argv)) process.once("SIGINT", () => interrupt.abort());
process.exitCode = await main(argv, { env: process.env, cwd, stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal });
