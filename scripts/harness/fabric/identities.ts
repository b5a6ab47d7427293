/**
 * Real X.509 identities for the in-process Fabric network, made with openssl: one CA per MSP, and
 * member certificates carrying Fabric CA's attribute extension (OID 1.2.3.4.5.6.7.8.1,
 * `{"attrs":{"role":"OFFICER"}}`), the way `fabric-ca-client enroll --enrollment.attrs` issues them.
 * Keys and certificates are made once per test process and reused.
 */
import { execFileSync } from "node:child_process";
import { createPrivateKey, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fabricSignature } from "./ecdsa.js";

const FABRIC_ATTRIBUTE_OID = "1.2.3.4.5.6.7.8.1";

export interface Identity {
  mspId: string;
  /** The member certificate, PEM. */
  certificate: string;
  privateKey: KeyObject;
  /** Fabric's signature over `message`: ECDSA P-256 on its SHA-256, DER, low-S. */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

export interface CertificateAuthority {
  mspId: string;
  certificate: string;
}

let directory: string | undefined;
const authorities = new Map<string, CertificateAuthority & { keyFile: string; certificateFile: string }>();
const identities = new Map<string, Identity>();

function workDirectory(): string {
  if (directory === undefined) {
    const created = mkdtempSync(join(tmpdir(), "tracegate-msp-"));
    process.on("exit", () => rmSync(created, { recursive: true, force: true }));
    directory = created;
  }
  return directory;
}

function openssl(...args: string[]): void {
  execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "3650"];

export function certificateAuthority(mspId: string): CertificateAuthority & { keyFile: string; certificateFile: string } {
  let authority = authorities.get(mspId);
  if (authority === undefined) {
    const keyFile = join(workDirectory(), `${mspId}-ca.key`);
    const certificateFile = join(workDirectory(), `${mspId}-ca.pem`);
    openssl("req", "-x509", ...EC_KEY, "-keyout", keyFile, "-out", certificateFile, "-subj", `/O=${mspId}/CN=ca.${mspId}`);
    authority = { mspId, certificate: readFileSync(certificateFile, "utf8"), keyFile, certificateFile };
    authorities.set(mspId, authority);
  }
  return authority;
}

/**
 * A member of `mspId` whose certificate carries `attributes` (Fabric CA's attribute extension);
 * `unit` is its node OU (client, peer, admin).
 */
export function memberIdentity(mspId: string, name: string, attributes: Record<string, string>, unit = "client"): Identity {
  const cacheKey = JSON.stringify([mspId, name, attributes, unit]);
  let identity = identities.get(cacheKey);
  if (identity === undefined) {
    const authority = certificateAuthority(mspId);
    const stem = join(workDirectory(), `${mspId}-${identities.size}`);
    const extension = Buffer.from(JSON.stringify({ attrs: attributes })).toString("hex");
    openssl(
      "req",
      "-x509",
      ...EC_KEY,
      "-keyout",
      `${stem}.key`,
      "-out",
      `${stem}.pem`,
      "-subj",
      `/O=${mspId}/OU=${unit}/CN=${name}`,
      "-CA",
      authority.certificateFile,
      "-CAkey",
      authority.keyFile,
      "-addext",
      `${FABRIC_ATTRIBUTE_OID}=DER:${extension}`,
    );
    const privateKey = createPrivateKey(readFileSync(`${stem}.key`));
    identity = {
      mspId,
      certificate: readFileSync(`${stem}.pem`, "utf8"),
      privateKey,
      sign: async (message) => fabricSignature(privateKey, message),
    };
    identities.set(cacheKey, identity);
  }
  return identity;
}
