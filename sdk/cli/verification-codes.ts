/** Verification links and their QR codes as files, for `anchor --qr DIR`, `lot --qr DIR` and `stamp`. */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { linkBase, verificationCodes, VerificationLinkError } from "../anchoring/verification-link.js";
import type { CommandContext } from "./command.js";
import { UsageError } from "./exit-codes.js";

/** The base of the links, checked before anything is anchored, so a wrong setting costs no transaction. */
export function publicBase(context: CommandContext): string {
  const base = context.resources.settings.publicUrl;
  if (base === undefined) {
    throw new UsageError("a verification link needs the node's public address: set TRACEGATE_PUBLIC_URL (or --public-url), e.g. https://tracegate.example");
  }
  try {
    return linkBase(base);
  } catch (error) {
    if (error instanceof VerificationLinkError) throw new UsageError(`TRACEGATE_PUBLIC_URL: ${error.message}`);
    throw error;
  }
}

export interface WrittenCodes {
  link: string;
  png: string;
  svg: string;
}

/**
 * Writes `link` as `<name>.qr.png` and `<name>.qr.svg` into `dir` (made if missing): the suffix keeps them
 * apart from a document of that name; characters a file name cannot safely hold (an id's "/") become "_".
 */
export async function writeCodes(dir: string, name: string, link: string): Promise<WrittenCodes> {
  const { png, svg } = await verificationCodes(link);
  await mkdir(dir, { recursive: true });
  const stem = join(resolve(dir), name.replace(/[^A-Za-z0-9._-]/g, "_"));
  await Promise.all([writeFile(`${stem}.qr.png`, png), writeFile(`${stem}.qr.svg`, svg)]);
  return { link, png: `${stem}.qr.png`, svg: `${stem}.qr.svg` };
}
