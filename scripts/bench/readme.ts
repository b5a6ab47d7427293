/** Puts the latest benchmark tables into the README, each between its markers (`bench`, `scale`). */
import { readFile, writeFile } from "node:fs/promises";

export function withBenchTable(readme: string, table: string, section = "bench"): string {
  const [begin, end] = [`<!-- ${section}:begin -->`, `<!-- ${section}:end -->`];
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from === -1 || to < from) throw new Error(`the README has no ${begin} … ${end} section for the benchmark table`);
  return `${readme.slice(0, from + begin.length)}\n${table}\n${readme.slice(to)}`;
}

export async function updateReadme(path: string, table: string, section = "bench"): Promise<void> {
  await writeFile(path, withBenchTable(await readFile(path, "utf8"), table, section));
}
