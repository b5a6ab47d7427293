/** What every command gets, and how it answers. */
import type { Resources } from "./resources.js";

export interface Output {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
}

export interface CommandContext {
  resources: Resources;
  /** The command's own arguments and options, parsed. */
  positionals: string[];
  options: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
  cwd: string;
  stdout: Output;
  stderr: Output;
}

/** Runs a command and returns its exit code. */
export type Command = (context: CommandContext) => Promise<number>;

/** Prints a result: as JSON (bigints as decimal strings), or as the command's own text. */
export function report(context: CommandContext, result: unknown, text: () => string): void {
  context.stdout.write(context.json ? `${JSON.stringify(result, (_, value) => (typeof value === "bigint" ? value.toString() : value), 2)}\n` : text());
}
