/** Whether a value passes a domain check (assertId, assertHash): ledgers answer "no such record" for malformed keys. */
export function isWellFormed(check: (value: string, field: string) => unknown, value: string): boolean {
  try {
    check(value, "value");
    return true;
  } catch {
    return false;
  }
}
