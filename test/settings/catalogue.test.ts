/**
 * One list of settings: README.md's configuration table says which command reads which variable, and
 * says what sdk/settings/catalogue.ts says; the readers of the findings and of the CLI name no
 * variable outside it; a misspelt name is refused, and a command cannot read a variable not catalogued for it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FINDING_VARIABLES } from "../../indexer/findings/settings.js";
import { ENVIRONMENT_HELP } from "../../sdk/cli/config.js";
import { COMMANDS, VARIABLES, type Variable } from "../../sdk/settings/catalogue.js";
import { SettingsReader } from "../../sdk/settings/reader.js";
import { SETTINGS_HELP } from "../../product/settings.js";

/** Variable → commands, from the README table whose last column is "read by". */
function readmeTable(): Map<string, string[]> {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const header = readme.indexOf("| variable | meaning | default | read by |");
  expect(header, "README.md has the configuration table").toBeGreaterThan(0);
  const rows = readme.slice(header).split("\n").slice(2);
  const table = new Map<string, string[]>();
  for (const row of rows) {
    if (!row.startsWith("|")) break;
    const cells = row
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim());
    const names = [...cells[0]!.matchAll(/`([A-Z_]+)`/g)].map((match) => match[1]!);
    // `TRACEGATE_FABRIC_GATEWAY`, `_MSP_ID`: a name starting with _ shares the first name's first two words.
    const prefix = names[0]!.split("_").slice(0, 2).join("_");
    for (const name of names)
      table.set(
        name.startsWith("_") ? `${prefix}${name}` : name,
        cells
          .at(-1)!
          .split(",")
          .map((command) => command.trim()),
      );
  }
  return table;
}

/** Every TRACEGATE_ name the programs' sources mention (not the tests'), but for identifiers and the findings' prefix. */
function namesInSources(): Map<string, string> {
  const root = new URL("../../", import.meta.url);
  const names = new Map<string, string>();
  for (const folder of ["domain", "sdk", "indexer", "api", "scripts", "seeds"]) {
    for (const file of readdirSync(new URL(folder, root), { recursive: true, encoding: "utf8" })) {
      if (!/\.(ts|js|mjs)$/.test(file)) continue;
      for (const [name] of readFileSync(new URL(`${folder}/${file}`, root), "utf8").matchAll(/\bTRACEGATE_[A-Z][A-Z_]*[A-Z]\b/g))
        names.set(name, `${folder}/${file}`);
    }
  }
  for (const notAVariable of ["TRACEGATE_CONTRACTS", "TRACEGATE_FINDINGS"]) names.delete(notAVariable);
  return names;
}

const sorted = (entries: Iterable<[string, readonly string[]]>) =>
  Object.fromEntries([...entries].map(([name, commands]): [string, string[]] => [name, [...commands].sort()]).sort(([a], [b]) => a.localeCompare(b)));

describe("the settings catalogue", () => {
  it("is README.md's configuration table: the same variables, read by the same commands", () => {
    const table = readmeTable();
    for (const commands of table.values()) for (const command of commands) expect(COMMANDS).toContain(command);
    expect(sorted(table)).toEqual(sorted(Object.entries(VARIABLES)));
  });

  it("holds every variable the findings, the product's help and the CLI's help name, for the commands that read them", () => {
    for (const { variable } of Object.values(FINDING_VARIABLES))
      expect(VARIABLES[variable as Variable], variable).toEqual(expect.arrayContaining(["start", "indexer"]));
    for (const name of SETTINGS_HELP.match(/TRACEGATE_[A-Z_]*[A-Z]/g)!)
      expect(name === "TRACEGATE_FINDINGS" || VARIABLES[name as Variable]?.includes("start" as never), name).toBe(true);
    const cli = new Set(ENVIRONMENT_HELP.match(/TRACEGATE_[A-Z_]*[A-Z]/g));
    expect([...cli].filter((name) => !VARIABLES[name as Variable]?.includes("tracegate" as never))).toEqual([]);
  });

  it("holds every variable the programs' sources name, so none is refused as a misspelling", () => {
    expect([...namesInSources()].filter(([name]) => !Object.hasOwn(VARIABLES, name))).toEqual([]);
  });

  it("refuses a TRACEGATE_ name no command reads, suggesting the nearest one, and ignores other programs' variables", () => {
    expect(new SettingsReader("indexer", { TRACEGATE_FINALTY: "3", PATH: "/bin", TRACEGATE_PORT: "4000" }).problems).toEqual([
      "TRACEGATE_FINALTY is not a TraceGate setting: did you mean TRACEGATE_FINALITY? (README.md lists them all); unset it",
    ]);
    expect(new SettingsReader("api", { TRACEGATE_SOMETHING_ELSE: "" }).problems).toEqual([
      "TRACEGATE_SOMETHING_ELSE is not a TraceGate setting (README.md lists them all); unset it",
    ]);
  });

  it("lets a command read only the variables catalogued for it", () => {
    expect(() => new SettingsReader("api", {}).text("TRACEGATE_FINALITY")).toThrow(/TRACEGATE_FINALITY is not catalogued as read by api/);
  });
});
