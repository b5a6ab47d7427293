/** What every command gets, and how it answers. */
import { toJson } from "../../domain/json-shapes.js";
import type { NodeClient } from "./node-client.js";
import type { Resources } from "./resources.js";

export interface Output {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
}

/** What a command is given, whatever it talks to. */
export interface BaseContext {
  /** The command's own arguments and options, parsed. */
  positionals: string[];
  options: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
  cwd: string;
  stdout: Output;
  stderr: Output;
  /** Aborted when the user interrupts (Ctrl-C). */
  signal?: AbortSignal;
}

/** A command that uses the ledger and the document store directly, signing with the user's own key. */
export interface CommandContext extends BaseContext {
  resources: Resources;
}

/** A command that asks a TraceGate node's API to act, as the organisation and role of the user's API token. */
export interface NodeCommandContext extends BaseContext {
  node: NodeClient;
}

/** Runs a command and returns its exit code. */
export type Command = (context: CommandContext) => Promise<number>;
export type NodeCommand = (context: NodeCommandContext) => Promise<number>;

/** Prints a result: as JSON (bigints as decimal strings), or as the command's own text. */
export function report(context: BaseContext, result: unknown, text: () => string): void {
  context.stdout.write(context.json ? `${toJson(result, 2)}\n` : text());
}
