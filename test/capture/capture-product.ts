/**
 * A product on its embedded defaults in a temporary home, for capture tests: its API, development
 * tokens for any member, and an SDK ledger with the members' own keys to anchor documents with (capture
 * takes custody events; documents are anchored through the SDK or the CLI).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { documentHash, type Hash, type Role } from "../../domain/index.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { startProduct, type Product } from "../../scripts/product/product.js";
import { readProductSettings } from "../../scripts/product/settings.js";

export interface CaptureProduct {
  home: string;
  product: Product;
  ledger: EvmLedger;
  token(org: string, role: Role): Promise<string>;
  /** Anchors a declaration of AN-PHAT's for `lot`; returns its hash. */
  declaration(lot: string): Promise<Hash>;
  /** Stops the product (keeping its home unless `remove`). */
  stop(remove?: boolean): Promise<void>;
}

export async function startCaptureProduct(home?: string, log: (line: string) => void = () => undefined): Promise<CaptureProduct> {
  const dir = home ?? (await mkdtemp(join(tmpdir(), "tracegate-capture-")));
  const product = await startProduct(readProductSettings({ TRACEGATE_HOME: dir, TRACEGATE_PORT: "0", TRACEGATE_RPC_PORT: "0", TRACEGATE_METRICS_PORT: "0" }, process.cwd()), log);
  const { provider, addresses, signers } = product.ledger.embedded!;
  const ledger = await EvmLedger.connect({ endpoint: provider, addresses, signers, pollIntervalMs: 2 });
  const issuer = await devTokenIssuer(JSON.parse(await readFile(resolve(dir, "api-dev-key.json"), "utf8")));
  let documents = 0;
  return {
    home: dir,
    product,
    ledger,
    token: (org, role) => issuer.mint(org, role),
    async declaration(lot) {
      documents += 1;
      const hash = documentHash(`declaration ${documents} for ${lot} at ${dir}`);
      await ledger.submit({ org: "AN-PHAT", role: "SIGNER" }, { type: "anchor", hash, id: `DECL-${lot}`, kind: "DECLARATION", cid: `bafy-decl-${documents}`, subjects: [lot] });
      return hash;
    },
    async stop(remove = false) {
      await ledger.close();
      await product.stop();
      if (remove) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** EPCIS 2.0 events for the custody actions the tests capture, as a client would write them. */
export const epcis = {
  declare: (lot: string, quantity: bigint, declaration: Hash, eventID?: string) => ({
    ...(eventID === undefined ? {} : { eventID }),
    type: "ObjectEvent",
    action: "ADD",
    eventTime: "2026-12-01T08:00:00.000+07:00",
    eventTimeZoneOffset: "+07:00",
    bizStep: "https://tracegate.dev/epcis/declaring",
    quantityList: [{ epcClass: `urn:tracegate:lot:${lot}`, quantity: quantity.toString(), uom: "KGM" }],
    "tg:material": "COTTON-YARN",
    "tg:hsCode": "520512",
    "tg:direction": "IMPORT",
    "tg:preferenceClaimed": false,
    "tg:permitRequired": false,
    bizTransactionList: [{ type: "https://tracegate.dev/epcis/declaration", bizTransaction: `urn:tracegate:document:${declaration}` }],
  }),
  at: (bizStep: "arriving" | "storing" | "receiving", lot: string, facility: string, eventID?: string) => ({
    ...(eventID === undefined ? {} : { eventID }),
    type: "ObjectEvent",
    action: "OBSERVE",
    eventTime: "2026-12-01T09:00:00.000+07:00",
    eventTimeZoneOffset: "+07:00",
    bizStep,
    quantityList: [{ epcClass: `urn:tracegate:lot:${lot}`, quantity: "1000", uom: "KGM" }],
    readPoint: { id: `urn:tracegate:facility:${facility}` },
    bizLocation: { id: `urn:tracegate:facility:${facility}` },
  }),
  hold: (lot: string, reason: string, eventID?: string) => ({
    ...(eventID === undefined ? {} : { eventID }),
    type: "ObjectEvent",
    action: "OBSERVE",
    eventTime: "2026-12-01T10:00:00.000+07:00",
    eventTimeZoneOffset: "+07:00",
    bizStep: "holding",
    quantityList: [{ epcClass: `urn:tracegate:lot:${lot}`, quantity: "1000", uom: "KGM" }],
    "tg:reason": reason,
  }),
  document: (events: unknown[]) => ({
    "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", { tg: "https://tracegate.dev/epcis/" }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2026-12-01T10:00:00.000Z",
    epcisBody: { eventList: events },
  }),
};
