/**
 * What a verdict tells a caller who may not see the document (it is about no lot the caller may see,
 * and another organisation issued it): whether the hash is anchored, VALID, REVOKED or SUPERSEDED (with
 * the successor's hash), by which registered issuer, of what kind, and where and when the ledger
 * recorded it — what a partner agency holding the document needs to rely on it. Not the issuer's
 * document id, the CID of the stored copy, or the lots it concerns.
 */
import type { Verdict } from "../../sdk/anchoring/verdict.js";

export function verdictWithheld(verdict: Verdict): Verdict {
  const anchor = verdict.anchor;
  if (anchor === undefined) return verdict;
  const { id, cid: _cid, ...shown } = anchor;
  // The reasons name the document by its id ("document <id> version 2 is anchored …"): "version 2 of
  // the document is anchored …" instead.
  const named = id === undefined ? undefined : `document ${id} version ${anchor.version}`;
  const unnamed = `version ${anchor.version} of the document`;
  return {
    ...verdict,
    checks: verdict.checks.map((check) => (named === undefined ? check : { ...check, reason: check.reason.replaceAll(named, unnamed) })),
    anchor: { ...shown, subjects: [] },
  };
}
