/** Whether a store's failure is a full disk, which its operator fixes by freeing space; retrying then succeeds. */
export function isDiskFull(error: unknown): boolean {
  const { errcode, code } = (error ?? {}) as { errcode?: unknown; code?: unknown };
  // SQLite's SQLITE_FULL, PostgreSQL's disk_full, the filesystem's ENOSPC.
  return errcode === 13 || code === "53100" || code === "ENOSPC";
}
