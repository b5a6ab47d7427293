/**
 * The Fabric settings made real: the gRPC client to the peer's gateway and the reading identity,
 * loaded from their PEM files and checked (readable, a certificate, an ECDSA P-256 private key that is
 * the certificate's), each failure naming its setting.
 */
import { Client, credentials, type ChannelOptions } from "@grpc/grpc-js";
import { signers } from "@hyperledger/fabric-gateway";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { FabricSigner } from "../../../sdk/fabric/index.js";
import { settingName, SourceSettingsError, type FabricSourceSettings, type SourceFlag } from "../settings.js";

export function gatewayClient({ gateway, tls }: FabricSourceSettings): Client {
  if (tls === "plaintext") return new Client(gateway, credentials.createInsecure());
  const options: ChannelOptions = tls.serverName === undefined ? {} : { "grpc.ssl_target_name_override": tls.serverName };
  return new Client(gateway, credentials.createSsl(readSetting("fabric-tls-ca", tls.caCertPath)), options);
}

/** The identity the source reads with; its key must be ECDSA P-256, which the gateway's SHA-256 signing hash fits (a Fabric CA's default). */
export function readerIdentity({ mspId, certPath, keyPath }: FabricSourceSettings): FabricSigner {
  const certificate = readSetting("fabric-cert", certPath);
  const key = parsed("fabric-key", keyPath, () => createPrivateKey(readSetting("fabric-key", keyPath)));
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new SourceSettingsError(
      `${settingName("fabric-key")}: ${keyPath} is a ${key.asymmetricKeyDetails?.namedCurve ?? key.asymmetricKeyType} key, not an ECDSA P-256 one`,
    );
  }
  if (!parsed("fabric-cert", certPath, () => new X509Certificate(certificate)).checkPrivateKey(key)) {
    throw new SourceSettingsError(`${settingName("fabric-key")}: ${keyPath} is not the private key of ${settingName("fabric-cert")} ${certPath}`);
  }
  return { identity: { mspId, credentials: certificate }, signer: signers.newPrivateKeySigner(key) };
}

function readSetting(flag: SourceFlag, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new SourceSettingsError(`${settingName(flag)}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** `parse()`'s result, or a SourceSettingsError saying the file is not what the setting needs. */
function parsed<T>(flag: SourceFlag, path: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof SourceSettingsError) throw error;
    const wanted = flag === "fabric-cert" ? "a PEM X.509 certificate" : "a PEM private key";
    throw new SourceSettingsError(`${settingName(flag)}: ${path} is not ${wanted}: ${(error as Error).message}`);
  }
}
