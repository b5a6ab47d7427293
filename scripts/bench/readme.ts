/** Puts the latest benchmark table into the README, between its bench markers. */
import { readFile, writeFile } from "node:fs/promises";

const BEGIN = "<!-- bench:begin -->";
const END = "<!-- bench:end -->";

export function withBenchTable(readme: string, table: string): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin === -1 || end < begin) throw new Error(`the README has no ${BEGIN} … ${END} section for the benchmark table`);
  return `${readme.slice(0, begin + BEGIN.length)}\n${table}\n${readme.slice(end)}`;
}

export async function updateReadme(path: string, table: string): Promise<void> {
  await writeFile(path, withBenchTable(await readFile(path, "utf8"), table));
}
