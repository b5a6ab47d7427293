/** The `tracegate` command line: parses, runs one command, prints errors with what to do next. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { Command, Output } from "./command.js";
import { anchor, ANCHOR_OPTIONS } from "./commands/anchor.js";
import { docGet, DOC_GET_OPTIONS } from "./commands/doc-get.js";
import { lot } from "./commands/lot.js";
import { revoke, REVOKE_OPTIONS } from "./commands/revoke.js";
import { verify, VERIFY_OPTIONS } from "./commands/verify.js";
import { ENVIRONMENT_HELP, readSettings, SETTING_OPTIONS, type SettingFlags } from "./config.js";
import { EXIT, exitCodeOf, UsageError } from "./exit-codes.js";
import { Resources } from "./resources.js";

export const HELP = `tracegate: anchor, verify and fetch TraceGate documents; look up lots.

Usage:
  tracegate anchor <files...> --kind KIND [--subject LOT]... [--id ID] [--supersedes 0xHASH] [--share-with ORG,...]
      Store each file encrypted (for your organisation and those you share with) and anchor it.
      The id defaults to the file name; --supersedes anchors the file as the next version of a document.
  tracegate anchor <files...> --kind KIND --batch [--proof-dir DIR] [--share-with ORG,...]
      Store the files and anchor them as one Merkle batch; writes a proof file per document
      (<file>.proof.json, or into DIR).
  tracegate verify <file | proof.json | 0xHASH> [--document FILE]
      Check INTEGRITY, STATUS and ISSUER; with a proof file, --document also checks the document's bytes.
  tracegate revoke <0xHASH | proof.json> --reason TEXT
      Revoke a document, or one document of a batch (its siblings stay valid).
  tracegate doc get <0xHASH | ID | proof.json> [--out FILE]
      Fetch a document and decrypt it with your organisation's key, if it was shared with you.
  tracegate lot <ID>
      Show a lot's current state.

Options: --json (print results as JSON), --help
Document kinds: DECLARATION, MANIFEST, CO, PERMIT, INSPECTION, CLEARANCE, NORM, BALANCE_REPORT

${ENVIRONMENT_HELP}
Exit codes:
  0  done (verify: the document is VALID)
  1  verification failed (verify: not VALID; doc get: the bytes do not match their anchor)
  2  wrong command line, configuration or input file
  3  the ledger or the document store could not be reached or failed
  4  refused: the ledger's rules rejected the action, or the document was not shared with you
  5  not found: no such lot or document

Local network: \`npm start\` runs a chain with the contracts and demo organisations (and the audit API) and prints the settings to use.
`;

interface CommandSpec {
  run: Command;
  options: ParseArgsConfig["options"];
}

const COMMANDS: Record<string, CommandSpec> = {
  anchor: { run: anchor, options: ANCHOR_OPTIONS },
  verify: { run: verify, options: VERIFY_OPTIONS },
  revoke: { run: revoke, options: REVOKE_OPTIONS },
  "doc get": { run: docGet, options: DOC_GET_OPTIONS },
  lot: { run: lot, options: {} },
};

const COMMON_OPTIONS = {
  ...SETTING_OPTIONS,
  "share-with": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export interface CliEnvironment {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: Output;
  stderr: Output;
}

export async function main(argv: readonly string[], environment: CliEnvironment): Promise<number> {
  const { stderr } = environment;
  let resources: Resources | undefined;
  try {
    const name = argv[0] === "doc" ? `doc ${argv[1] ?? ""}`.trim() : argv[0];
    if (name === undefined || name === "help" || name === "--help" || name === "-h") {
      environment.stdout.write(HELP);
      return name === undefined ? EXIT.USAGE : EXIT.OK;
    }
    const spec = COMMANDS[name];
    if (spec === undefined) throw new UsageError(`unknown command "${name}": tracegate --help lists the commands`);
    const { values, positionals } = parse(argv.slice(name.split(" ").length), spec);
    if (values.help === true) {
      environment.stdout.write(HELP);
      return EXIT.OK;
    }
    resources = new Resources(readSettings(values as SettingFlags, environment.env, environment.cwd, values["share-with"] as string | undefined));
    return await spec.run({ resources, positionals, options: values, json: values.json === true, ...environment });
  } catch (error) {
    const code = exitCodeOf(error);
    stderr.write(`tracegate: ${error instanceof Error ? error.message : String(error)}\n`);
    if (code === EXIT.USAGE && error instanceof UsageError) stderr.write("(tracegate --help shows the commands, options and settings)\n");
    return code;
  } finally {
    await resources?.close();
  }
}

function parse(args: string[], spec: CommandSpec) {
  try {
    return parseArgs({ args, options: { ...COMMON_OPTIONS, ...spec.options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
