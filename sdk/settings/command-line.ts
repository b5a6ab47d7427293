/**
 * The command line of a TraceGate command, read the same way by every command: `--help` (or `-h`)
 * prints the command's usage and exits 0; an unknown option, a missing value or a stray argument is
 * named with the usage and exits 2, as a bad setting does, never as a stack trace.
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>>;

/** The options' values, or the process ends as described above. */
export function readCommandLine<O extends ParseArgsOptionsConfig>(usage: string, options: O, args: string[] = process.argv.slice(2)): Parsed<O>["values"] {
  if (args.some((arg) => arg === "--help" || arg === "-h")) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    if (!(error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) throw error;
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    process.exit(2);
  }
}
