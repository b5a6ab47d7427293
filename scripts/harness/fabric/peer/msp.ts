/**
 * The channel's MSPs as a peer checks them: a creator is an X.509 certificate issued by the CA of the
 * MSP it names, and its signature is ECDSA over SHA-256 with a low S value (Fabric rejects high-S
 * signatures as malleable).
 */
import { verify, X509Certificate, type KeyObject } from "node:crypto";
import { msp } from "@hyperledger/fabric-protos";
import { isLowS } from "../ecdsa.js";
import type { CertificateAuthority } from "../identities.js";

export class MspError extends Error {
  override name = "MspError";
}

export interface VerifiedCreator {
  mspId: string;
  certificate: X509Certificate;
  publicKey: KeyObject;
}

export class ChannelMsps {
  private readonly authorities = new Map<string, X509Certificate>();
  /** Creators whose certificate chain was checked, by their serialized bytes (as a peer's MSP caches them). */
  private readonly members = new Map<string, VerifiedCreator>();

  /** Adds an organisation's MSP to the channel (a channel configuration update). */
  add(authority: CertificateAuthority): void {
    if (!this.authorities.has(authority.mspId)) this.authorities.set(authority.mspId, new X509Certificate(authority.certificate));
  }

  /** Checks that `creator` (a serialized identity) is a member of its MSP and signed `message`. */
  verify(creator: Uint8Array, message: Uint8Array, signature: Uint8Array): VerifiedCreator {
    const key = Buffer.from(creator).toString("base64");
    const member = this.members.get(key) ?? this.member(creator);
    this.members.set(key, member);
    if (!isLowS(signature) || !verify("sha256", message, member.publicKey, signature)) {
      throw new MspError(`the signature of a ${member.mspId} member does not verify`);
    }
    return member;
  }

  private member(creator: Uint8Array): VerifiedCreator {
    const identity = msp.SerializedIdentity.deserializeBinary(creator);
    const mspId = identity.getMspid();
    const authority = this.authorities.get(mspId);
    if (authority === undefined) throw new MspError(`MSP ${mspId} is not a member of the channel`);
    const certificate = new X509Certificate(Buffer.from(identity.getIdBytes_asU8()));
    if (!certificate.checkIssued(authority) || !certificate.verify(authority.publicKey)) {
      throw new MspError(`the certificate of ${certificate.subject.replace(/\n/g, ",")} was not issued by the CA of ${mspId}`);
    }
    return { mspId, certificate, publicKey: certificate.publicKey };
  }
}
