/**
 * Verification links and their QR codes: what a printed or PDF document carries so that one scan opens
 * its verdict. A link holds only what is public anyway: the document's SHA-256 and, for a batch member,
 * the batch root and the Merkle path (hashes only, as in its proof file). No id, issuer, lot or CID.
 *
 *   <base>/verify.html?hash=0x…                            a document anchored on its own
 *   <base>/verify.html?hash=0x…&batch=0x…&proof=0x…,0x…    a member of an anchored batch
 *
 * A lot's label carries its resolver path instead (api/lot-resolver.ts): <base>/lot/<id>.
 */
import QRCode from "qrcode";
import { assertHash, type Hash } from "../../domain/index.js";

export const VERIFY_PAGE = "/verify.html";

/** What a link names: a document's hash, and for a batch member the root and path that lead to it. */
export interface LinkTarget {
  hash: Hash;
  batch?: { root: Hash; proof: readonly Hash[] };
}

/** The node's public address is not one a scanner can open; the message names what is wrong. */
export class VerificationLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VerificationLinkError";
  }
}

/** The node's public base URL (http or https, no query or fragment), without a trailing slash. */
export function linkBase(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new VerificationLinkError(`${JSON.stringify(value)} is not a URL: give the node's public address, e.g. https://tracegate.example`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new VerificationLinkError(`${value}: a verification link must be http or https`);
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new VerificationLinkError(`${value}: give the node's address without a query, fragment or credentials`);
  }
  return url.toString().replace(/\/+$/, "");
}

export function verificationLink(base: string, target: LinkTarget): string {
  const url = new URL(`${linkBase(base)}${VERIFY_PAGE}`);
  url.searchParams.set("hash", assertHash(target.hash.toLowerCase(), "hash"));
  if (target.batch !== undefined) {
    url.searchParams.set("batch", assertHash(target.batch.root.toLowerCase(), "batch root"));
    url.searchParams.set("proof", target.batch.proof.map((step) => assertHash(step.toLowerCase(), "proof")).join(","));
  }
  // Commas are safe in a query; left unescaped they keep the code smaller.
  return url.toString().replaceAll("%2C", ",");
}

/** A lot's resolver path: what the node shows whoever scans it is the node's decision, not the label's. */
export function lotLink(base: string, lot: string): string {
  return `${linkBase(base)}/lot/${encodeURIComponent(lot)}`;
}

/**
 * The link as a QR code, PNG and SVG. Error correction M (15% of the code may be lost) survives a
 * crease or a stamp's edge, and a batch member's longer link still fits a code a phone reads.
 */
export async function verificationCodes(link: string): Promise<{ png: Buffer; svg: string }> {
  const options = { errorCorrectionLevel: "M" as const, margin: 4 };
  const [png, svg] = await Promise.all([QRCode.toBuffer(link, { ...options, type: "png", scale: 8 }), QRCode.toString(link, { ...options, type: "svg" })]);
  return { png, svg };
}
