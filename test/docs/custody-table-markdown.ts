/** domain/custody-table.ts as the Markdown table docs/custody-table.md shows, one row per action. */
import { CUSTODY_TABLE } from "../../domain/custody-table.js";
import { CUSTODY_ACTIONS } from "../../domain/types.js";

export const BEGIN = "<!-- custody-table:begin (rendered from domain/custody-table.ts; test/docs/custody-table.test.ts checks it) -->";
export const END = "<!-- custody-table:end -->";

export function custodyTableMarkdown(): string {
  const code = (value: string) => `\`${value}\``;
  const rows = CUSTODY_ACTIONS.map((action) => {
    const rule = CUSTODY_TABLE[action];
    return [
      code(action),
      rule.from.map(code).join(", "),
      code(rule.to),
      code(rule.who),
      rule.facility === undefined ? "—" : code(rule.facility),
      rule.direction === undefined ? "—" : code(rule.direction),
      rule.creates === undefined ? "—" : code(rule.creates),
    ];
  });
  const header = ["action", "from", "to", "who", "facility kind", "direction", "creates"];
  return [header, header.map(() => "---"), ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
