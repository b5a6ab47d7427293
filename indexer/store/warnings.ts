/** The store's warnings: one timestamped line on stderr, which the operator reads beside the indexer's progress. */
export function warnOnStderr(line: string): void {
  process.stderr.write(`${new Date().toISOString()} warning: ${line}\n`);
}
