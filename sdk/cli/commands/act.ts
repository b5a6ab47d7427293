/**
 * `tracegate act <action> [options]`: one custody action, sent to the node as its EPCIS event
 * (POST /epcis/events) and applied as the API token's organisation and role. The event id makes a retry
 * safe: the node applies an id once and answers "duplicate" after that.
 */
import { randomUUID } from "node:crypto";
import { CUSTODY_ACTIONS, SEAL_ALERTS, validateAction, type CustodyAction, type QuantityPart, type SealAlert } from "../../../domain/index.js";
import { EpcisMappingError } from "../../epcis/errors.js";
import { isoSeconds } from "../../epcis/event-hash.js";
import { CONTENT_EVENT_ID, EVENT_ID } from "../../epcis/identifiers.js";
import { actionEvent, epcisDirectory } from "../../epcis/index.js";
import { report, type NodeCommand, type NodeCommandContext } from "../command.js";
import { EXIT, NodeUnavailableError, UsageError } from "../exit-codes.js";
import { hash } from "../inputs.js";

export const ACT_OPTIONS = {
  lot: { type: "string" },
  facility: { type: "string" },
  reason: { type: "string" },
  co: { type: "string" },
  permit: { type: "string" },
  material: { type: "string" },
  "hs-code": { type: "string" },
  unit: { type: "string" },
  quantity: { type: "string" },
  direction: { type: "string" },
  declaration: { type: "string" },
  "preference-claimed": { type: "boolean" },
  "permit-required": { type: "boolean" },
  part: { type: "string", multiple: true },
  product: { type: "string" },
  input: { type: "string", multiple: true },
  output: { type: "string", multiple: true },
  seal: { type: "string" },
  deadline: { type: "string" },
  transit: { type: "string" },
  "seal-intact": { type: "boolean" },
  "seal-broken": { type: "boolean" },
  alert: { type: "string" },
  detail: { type: "string" },
  "event-id": { type: "string" },
} as const;

type ActOption = Exclude<keyof typeof ACT_OPTIONS, "event-id">;
type Options = NodeCommandContext["options"];

/** Each action: the options it takes (any other is a mistake), and the action they make. */
const ACTIONS: { [T in CustodyAction["type"]]: { options: readonly ActOption[]; build: (o: Options) => Extract<CustodyAction, { type: T }> } } = {
  declare: {
    options: ["lot", "material", "hs-code", "unit", "quantity", "direction", "declaration", "preference-claimed", "permit-required"],
    build: (o) => ({
      type: "declare",
      lot: required(o, "lot"),
      goods: {
        material: required(o, "material"),
        hsCode: required(o, "hs-code"),
        unit: required(o, "unit"),
        quantity: quantity(required(o, "quantity"), "--quantity"),
      },
      direction: direction(required(o, "direction")),
      preferenceClaimed: o["preference-claimed"] === true,
      permitRequired: o["permit-required"] === true,
      declaration: hash(required(o, "declaration"), "--declaration"),
    }),
  },
  arrive: { options: ["lot", "facility"], build: (o) => ({ type: "arrive", lot: required(o, "lot"), facility: required(o, "facility") }) },
  store: { options: ["lot", "facility"], build: (o) => ({ type: "store", lot: required(o, "lot"), facility: required(o, "facility") }) },
  receive: { options: ["lot", "facility"], build: (o) => ({ type: "receive", lot: required(o, "lot"), facility: required(o, "facility") }) },
  hold: { options: ["lot", "reason"], build: (o) => ({ type: "hold", lot: required(o, "lot"), reason: required(o, "reason") }) },
  destroy: { options: ["lot", "reason"], build: (o) => ({ type: "destroy", lot: required(o, "lot"), reason: required(o, "reason") }) },
  unhold: { options: ["lot"], build: (o) => ({ type: "unhold", lot: required(o, "lot") }) },
  release: { options: ["lot"], build: (o) => ({ type: "release", lot: required(o, "lot") }) },
  depart: { options: ["lot"], build: (o) => ({ type: "depart", lot: required(o, "lot") }) },
  clear: {
    options: ["lot", "co", "permit"],
    build: (o) => ({ type: "clear", lot: required(o, "lot"), co: optionalHash(o, "co"), permit: optionalHash(o, "permit") }),
  },
  split: { options: ["lot", "part"], build: (o) => ({ type: "split", lot: required(o, "lot"), parts: parts(o, "part") }) },
  transform: {
    options: ["product", "input", "output"],
    build: (o) => ({ type: "transform", product: required(o, "product"), inputs: parts(o, "input"), outputs: parts(o, "output") }),
  },
  seal: {
    options: ["lot", "facility", "seal", "deadline", "transit"],
    build: (o) => ({
      type: "seal",
      lot: required(o, "lot"),
      facility: required(o, "facility"),
      seal: required(o, "seal"),
      deadline: deadline(required(o, "deadline")),
      transit: hash(required(o, "transit"), "--transit"),
    }),
  },
  unseal: {
    options: ["lot", "facility", "seal-intact", "seal-broken", "reason"],
    build: (o) => ({ type: "unseal", lot: required(o, "lot"), facility: required(o, "facility"), sealIntact: sealIntact(o), reason: optional(o, "reason") }),
  },
  alert: {
    options: ["lot", "seal", "alert", "detail"],
    build: (o) => ({ type: "alert", lot: required(o, "lot"), seal: required(o, "seal"), alert: alert(required(o, "alert")), detail: optional(o, "detail") }),
  },
};

export const act: NodeCommand = async (context) => {
  const [type, ...extra] = context.positionals;
  if (type === undefined || !Object.hasOwn(ACTIONS, type)) {
    throw new UsageError(`name one action: tracegate act <${CUSTODY_ACTIONS.join("|")}> [options]${type === undefined ? "" : `, not "${type}"`}`);
  }
  if (extra.length > 0)
    throw new UsageError(`act ${type} takes options only, not "${extra.join(" ")}": e.g. --lot LOT (tracegate --help lists each action's options)`);
  const action = buildAction(type as CustodyAction["type"], context.options);
  // The domain's own argument checks, so a mistake is caught here with its message, before anything is sent.
  validateAction(action);
  const eventId = eventIdOf(context);
  const event = actionEvent(action, { directory: epcisDirectory(), time: BigInt(Math.floor(Date.now() / 1000)), eventID: eventId });
  const retry = `send it again with --event-id ${eventId} (the node applies an event id once)`;
  let answer;
  try {
    answer = await context.node.request("POST", "/epcis/events", {
      body: JSON.stringify(event),
      headers: { "content-type": "application/ld+json" },
      signal: context.signal,
    });
  } catch (error) {
    if (context.signal?.aborted) {
      context.stderr.write(`tracegate: interrupted before the node answered: the ${type} may or may not be applied; ${retry}\n`);
      return EXIT.INTERRUPTED;
    }
    if (error instanceof NodeUnavailableError) throw new NodeUnavailableError(`${error.message}; the ${type} may or may not be applied: ${retry}`);
    throw error;
  }
  const { status, transaction, block } = answer.body as { status: "accepted" | "duplicate"; transaction?: string; block?: string };
  const result = { action: type, eventID: eventId, status, ...(transaction === undefined ? {} : { transaction, block }) };
  report(context, result, () =>
    status === "duplicate"
      ? `duplicate: event ${eventId} was applied before; the ${type} was not applied again\n`
      : `accepted: ${type} as event ${eventId} in transaction ${transaction}, block ${block}\n`,
  );
  return EXIT.OK;
};

function buildAction(type: CustodyAction["type"], options: Options): CustodyAction {
  const spec = ACTIONS[type];
  const stray = Object.keys(ACT_OPTIONS).filter(
    (name) => name !== "event-id" && options[name] !== undefined && !(spec.options as readonly string[]).includes(name),
  );
  if (stray.length > 0)
    throw new UsageError(`act ${type} takes ${spec.options.map((name) => `--${name}`).join(", ")}, not ${stray.map((name) => `--${name}`).join(", ")}`);
  return spec.build(options);
}

/** The event's id: the user's (a retry), or a new one, said on stderr before sending so a retry can reuse it. */
function eventIdOf(context: NodeCommandContext): string {
  const given = context.options["event-id"];
  if (typeof given === "string") {
    if (!EVENT_ID.test(given))
      throw new UsageError("--event-id must be a URI of 1 to 512 printable ASCII characters, without spaces (such as urn:uuid:…); nothing was sent");
    // The event is made here, at this run's time: a content hash given now cannot be its own.
    if (CONTENT_EVENT_ID.test(given))
      throw new UsageError("--event-id ni:… names an event's content, which this command makes anew: give a urn:uuid: or leave it out; nothing was sent");
    return given;
  }
  const eventId = `urn:uuid:${randomUUID()}`;
  if (!context.json) context.stderr.write(`event ${eventId} (to retry this action safely: --event-id ${eventId})\n`);
  return eventId;
}

function required(options: Options, name: ActOption): string {
  const value = options[name];
  if (typeof value !== "string") throw new UsageError(`give --${name}`);
  return value;
}

function optional(options: Options, name: "reason" | "detail"): string {
  const value = options[name];
  return typeof value === "string" ? value : "";
}

/** The seal check, said outright: the one flag or the other, never assumed. */
function sealIntact(options: Options): boolean {
  const intact = options["seal-intact"] === true;
  if (intact === (options["seal-broken"] === true)) throw new UsageError("give --seal-intact or --seal-broken (with --reason saying why)");
  return intact;
}

function alert(value: string): SealAlert {
  if (!(SEAL_ALERTS as readonly string[]).includes(value)) throw new UsageError(`--alert must be one of ${SEAL_ALERTS.join(", ")}, not "${value}"`);
  return value as SealAlert;
}

/** An ISO 8601 date-time with its offset, in whole seconds ("2026-12-10T18:00:00+07:00"): the ledger's time it must arrive by. */
function deadline(value: string): bigint {
  try {
    return isoSeconds(value, "--deadline");
  } catch (error) {
    if (error instanceof EpcisMappingError)
      throw new UsageError(`--deadline must be an ISO 8601 date-time in whole seconds with its offset (e.g. 2026-12-10T18:00:00+07:00), not "${value}"`);
    throw error;
  }
}

function optionalHash(options: Options, name: "co" | "permit") {
  const value = options[name];
  return typeof value === "string" ? hash(value, `--${name}`) : null;
}

function direction(value: string): "IMPORT" | "EXPORT" {
  if (value !== "IMPORT" && value !== "EXPORT") throw new UsageError(`--direction must be IMPORT or EXPORT, not "${value}"`);
  return value;
}

/** A whole number of units, read exactly as a bigint: "1.5", "1e3" or "-2" is a mistake, never rounded. */
function quantity(value: string, option: string): bigint {
  if (!/^\d+$/.test(value)) throw new UsageError(`${option} must be a whole number of units (digits only), not "${value}"`);
  return BigInt(value);
}

/** LOT=QTY, each given with its own --part/--input/--output. */
function parts(options: Options, name: "part" | "input" | "output"): QuantityPart[] {
  const values = (options[name] as string[] | undefined) ?? [];
  if (values.length === 0) throw new UsageError(`give --${name} LOT=QUANTITY (once per lot)`);
  return values.map((value) => {
    const at = value.lastIndexOf("=");
    if (at < 1) throw new UsageError(`--${name} takes LOT=QUANTITY, not "${value}"`);
    return { lot: value.slice(0, at), quantity: quantity(value.slice(at + 1), `--${name} ${value.slice(0, at)}`) };
  });
}
