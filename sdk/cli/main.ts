/** The `tracegate` command line: parses, runs one command, prints errors with what to do next. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { BaseContext, Command, NodeCommand, Output } from "./command.js";
import { act, ACT_OPTIONS } from "./commands/act.js";
import { anchor, ANCHOR_OPTIONS } from "./commands/anchor.js";
import { capture, CAPTURE_OPTIONS } from "./commands/capture.js";
import { docGet, DOC_GET_OPTIONS } from "./commands/doc-get.js";
import { lot, LOT_OPTIONS } from "./commands/lot.js";
import { revoke, REVOKE_OPTIONS } from "./commands/revoke.js";
import { stamp, STAMP_OPTIONS } from "./commands/stamp.js";
import { verify, VERIFY_OPTIONS } from "./commands/verify.js";
import { ENVIRONMENT_HELP, NODE_SETTING_OPTIONS, readNodeSettings, readSettings, SETTING_OPTIONS, type NodeSettingFlags, type SettingFlags } from "./config.js";
import { EXIT, exitCodeOf, UsageError } from "./exit-codes.js";
import { NodeClient } from "./node-client.js";
import { Resources } from "./resources.js";

export const HELP = `tracegate: anchor, verify and fetch TraceGate documents; look up lots; record custody through a node.

Usage:
  tracegate anchor <files...> --kind KIND [--subject LOT]... [--id ID] [--supersedes 0xHASH] [--share-with ORG,...] [--qr DIR]
      Store each file encrypted (for your organisation and those you share with) and anchor it.
      The id defaults to the file name; --supersedes anchors the file as the next version of a document.
      --qr writes each document's verification link as a QR code, DIR/<file>.qr.png and .qr.svg
      (the link holds only the document's hash; its base is TRACEGATE_PUBLIC_URL).
  tracegate anchor <files...> --kind KIND --batch [--proof-dir DIR] [--share-with ORG,...] [--qr DIR]
      Store the files and anchor them as one Merkle batch; writes a proof file per document
      (<file>.proof.json, or into DIR); with --qr, a code per document whose link carries its proof.
  tracegate verify <file | proof.json | 0xHASH> [--document FILE]
      Check INTEGRITY, STATUS and ISSUER; with a proof file, --document also checks the document's bytes.
  tracegate revoke <0xHASH | proof.json> --reason TEXT
      Revoke a document, or one document of a batch (its siblings stay valid).
  tracegate doc get <0xHASH | ID | proof.json> [--out FILE]
      Fetch a document and decrypt it with your organisation's key, if it was shared with you.
  tracegate stamp <doc.pdf> [--out FILE] [--id ID]
      A copy of an anchored PDF with its verification link and QR code on the first page (the code opens
      the original's verdict), anchored in turn so it verifies VALID; default FILE <doc>.stamped.pdf.
  tracegate lot <ID> [--qr DIR]
      Show a lot's current state; --qr writes a label, DIR/lot-<ID>.qr.png and .qr.svg, for the
      lot's resolver path <TRACEGATE_PUBLIC_URL>/lot/<ID>.

Through a TraceGate node (TRACEGATE_API_URL, TRACEGATE_API_TOKEN), as your token's organisation and role:
  tracegate capture <FILE.jsonld> [--proceed]
      Capture an EPCIS 2.0 EPCISDocument as one job and follow it: a progress bar, then each refused
      event (position, eventID, code, reason) and the counts. Rollback (the default): nothing is applied
      unless every event is; --proceed applies the events that are not refused. Ctrl-C leaves the job
      running on the node and prints its status URL.
  tracegate act <action> [options] [--event-id ID]
      One custody action, checked here by the domain's rules, then applied by the node:
        declare --lot L --material M --hs-code H --unit U --quantity N --direction IMPORT|EXPORT
                --declaration 0xHASH [--preference-claimed] [--permit-required]
        arrive|store|receive --lot L --facility F
        hold|destroy --lot L --reason TEXT
        unhold|release|depart --lot L
        clear --lot L [--co 0xHASH] [--permit 0xHASH]
        split --lot L --part LOT=QTY --part LOT=QTY ...
        transform --product P --input LOT=QTY ... --output LOT=QTY ...
        seal --lot L --facility DESTINATION --seal S --deadline 2026-12-10T18:00:00+07:00 --transit 0xHASH
        unseal --lot L --facility F --seal-intact|--seal-broken [--reason TEXT]   (a reason is required when broken)
        alert --lot L --seal S --alert OPENED|ROUTE_DEVIATION|LONG_STOP|LOW_BATTERY [--detail TEXT]
      Quantities are whole units. Without --event-id the event gets a new urn:uuid (printed): send the
      action again with that --event-id and the node answers "duplicate" rather than applying it twice.

Options: --json (print results as JSON), --help
Document kinds: DECLARATION, MANIFEST, CO, PERMIT, INSPECTION, CLEARANCE, NORM, BALANCE_REPORT, TRANSIT, SEAL_TRACK

${ENVIRONMENT_HELP}
Exit codes:
  0  done (verify: the document is VALID; capture: every event accepted or a duplicate)
  1  verification failed (verify: not VALID; doc get: the bytes do not match their anchor)
  2  wrong command line, configuration, API token or input file (capture: not an EPCISDocument)
  3  the ledger, the document store or the TraceGate node could not be reached or failed
  4  refused: the ledger's rules rejected the action (capture: an event was refused), the document was
     not shared with you, or the node does not act for your token's organisation and role
  5  not found: no such lot or document
  130 interrupted (Ctrl-C); a capture job goes on on the node

Local network: \`npm start\` runs a chain with the contracts and demo organisations (and the audit API) and prints the settings to use.
`;

/** A command on the ledger and the store directly (`run`), or through a node's API (`node`). */
type CommandSpec = { run: Command; options: ParseArgsConfig["options"] } | { node: NodeCommand; options: ParseArgsConfig["options"] };

const COMMANDS: Record<string, CommandSpec> = {
  anchor: { run: anchor, options: ANCHOR_OPTIONS },
  verify: { run: verify, options: VERIFY_OPTIONS },
  revoke: { run: revoke, options: REVOKE_OPTIONS },
  "doc get": { run: docGet, options: DOC_GET_OPTIONS },
  lot: { run: lot, options: LOT_OPTIONS },
  stamp: { run: stamp, options: STAMP_OPTIONS },
  capture: { node: capture, options: CAPTURE_OPTIONS },
  act: { node: act, options: ACT_OPTIONS },
};

const GENERAL_OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;
const LEDGER_OPTIONS = { ...SETTING_OPTIONS, "share-with": { type: "string" }, ...GENERAL_OPTIONS } as const;
const NODE_OPTIONS = { ...NODE_SETTING_OPTIONS, ...GENERAL_OPTIONS } as const;

export interface CliEnvironment {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: Output;
  stderr: Output;
  /** Aborted on Ctrl-C, for the commands that say where the work they sent stands (see handlesInterrupt). */
  signal?: AbortSignal;
}

/** The command of that name; none for a name an object inherits ("constructor", "__proto__"). */
function commandNamed(name: string): CommandSpec | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

/** Whether the command in `argv` answers an interrupt itself (a node's job goes on: it prints where to look). */
export function handlesInterrupt(argv: readonly string[]): boolean {
  const spec = commandNamed(argv[0] ?? "");
  return spec !== undefined && "node" in spec;
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
    const spec = commandNamed(name);
    if (spec === undefined) throw new UsageError(`unknown command "${name}": tracegate --help lists the commands`);
    const { values, positionals } = parse(argv.slice(name.split(" ").length), spec);
    if (values.help === true) {
      environment.stdout.write(HELP);
      return EXIT.OK;
    }
    const context = { positionals, options: values as BaseContext["options"], json: values.json === true, ...environment };
    if ("node" in spec)
      return await spec.node({ ...context, node: new NodeClient(readNodeSettings(values as NodeSettingFlags, environment.env, environment.cwd)) });
    resources = new Resources(readSettings(values as SettingFlags, environment.env, environment.cwd, context.options["share-with"] as string | undefined));
    return await spec.run({ ...context, resources });
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
    return parseArgs({ args, options: { ...("node" in spec ? NODE_OPTIONS : LEDGER_OPTIONS), ...spec.options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
