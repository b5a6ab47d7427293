import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function temporaryDirectory(): Promise<string> {
  return mkdtemp(join(tmpdir(), "tracegate-blocks-"));
}

/** Every block file blockstore-fs wrote under `directory`. */
export async function blockFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}
