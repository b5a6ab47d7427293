/** `tracegate lot <ID>`: a lot's current state on the ledger. */
import { report, type Command } from "../command.js";
import { EXIT, NotFoundError, UsageError } from "../exit-codes.js";
import { lotId } from "../inputs.js";

export const lot: Command = async (context) => {
  const [id, ...extra] = context.positionals;
  if (id === undefined || extra.length > 0) throw new UsageError("tracegate lot <ID>");
  const found = await (await context.resources.ledger(false)).lot(lotId(id));
  if (found === undefined) throw new NotFoundError(`no lot ${id} on the ledger: check the id`);
  report(context, found, () => {
    const where = found.location === "" ? "not arrived yet" : `at ${found.location}`;
    const held = found.state === "HELD" ? ` (held from ${found.priorState})` : "";
    return [
      `lot ${found.id}: ${found.state}${held}, ${where}`,
      `  goods: ${found.quantity} ${found.unit} of ${found.material} (HS ${found.hsCode})`,
      `  owner ${found.owner}, custodian ${found.custodian}, ${found.direction.toLowerCase()}`,
      `  declaration: ${found.declaration ?? "none"}`,
      "",
    ].join("\n");
  });
  return EXIT.OK;
};
