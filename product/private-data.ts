/**
 * Everything the product keeps (index and its WAL, documents, keys, chain journal, lock, running file)
 * is for its owner only: files 0600 and directories 0700, whatever mode the module making them asks for.
 */
import { chmod, stat } from "node:fs/promises";

/** New files and directories of this process are its user's only. */
export function keepDataPrivate(): void {
  process.umask(0o077);
}

/** A data directory made before (world-readable) is closed to others, and with it all it holds. */
export async function closeHome(home: string): Promise<void> {
  const found = await stat(home).catch(() => undefined);
  if (found !== undefined && (found.mode & 0o077) !== 0 && found.uid === process.getuid?.()) await chmod(home, 0o700);
}
