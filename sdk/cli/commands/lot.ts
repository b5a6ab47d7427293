/** `tracegate lot <ID> [--qr DIR]`: a lot's current state on the ledger; with --qr, a label for its resolver path. */
import { resolve } from "node:path";
import { lotLink } from "../../anchoring/verification-link.js";
import { report, type Command } from "../command.js";
import { EXIT, NotFoundError, UsageError } from "../exit-codes.js";
import { lotId } from "../inputs.js";
import { publicBase, writeCodes } from "../verification-codes.js";

export const LOT_OPTIONS = { qr: { type: "string" } } as const;

export const lot: Command = async (context) => {
  const [id, ...extra] = context.positionals;
  if (id === undefined || extra.length > 0) throw new UsageError("tracegate lot <ID> [--qr DIR]");
  const qrDir = context.options.qr as string | undefined;
  const base = qrDir === undefined ? undefined : publicBase(context);
  const found = await (await context.resources.ledger(false)).lot(lotId(id));
  if (found === undefined) throw new NotFoundError(`no lot ${id} on the ledger: check the id`);
  const codes = base === undefined ? undefined : await writeCodes(resolve(context.cwd, qrDir!), `lot-${found.id}`, lotLink(base, found.id));
  report(context, codes === undefined ? found : { ...found, codes }, () => {
    const where = found.location === "" ? "not arrived yet" : `at ${found.location}`;
    const held = found.state === "HELD" ? ` (held from ${found.priorState})` : "";
    return [
      `lot ${found.id}: ${found.state}${held}, ${where}`,
      `  goods: ${found.quantity} ${found.unit} of ${found.material} (HS ${found.hsCode})`,
      `  owner ${found.owner}, custodian ${found.custodian}, ${found.direction.toLowerCase()}`,
      `  declaration: ${found.declaration ?? "none"}`,
      ...(codes === undefined ? [] : [`  label: ${codes.link} (${codes.png}, ${codes.svg})`]),
      "",
    ].join("\n");
  });
  return EXIT.OK;
};
