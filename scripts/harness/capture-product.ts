/**
 * A product on its embedded defaults in a temporary home, for capture tests and the capture bench: its API, development
 * tokens for any member, and an SDK ledger with the members' own keys to anchor documents with (capture
 * takes custody events; documents are anchored through the SDK or the CLI).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { devTokenIssuer } from "../../api/auth/dev-tokens.js";
import { readDevKey } from "../../api/auth/key-files.js";
import { documentHash, type Hash, type Role } from "../../domain/index.js";
import { EvmLedger } from "../../sdk/evm/ledger.js";
import { startProduct, type Product } from "../../product/product.js";
import { readProductSettings } from "../../product/settings.js";

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
  const product = await startProduct(
    readProductSettings({ TRACEGATE_HOME: dir, TRACEGATE_PORT: "0", TRACEGATE_RPC_PORT: "0", TRACEGATE_METRICS_PORT: "0" }, process.cwd()),
    log,
  );
  const { provider, addresses, signers } = product.ledger.embedded!;
  const ledger = await EvmLedger.connect({ endpoint: provider, addresses, signers, pollIntervalMs: 2 });
  const issuer = await devTokenIssuer(await readDevKey(resolve(dir, "api-dev-key.json")));
  let documents = 0;
  return {
    home: dir,
    product,
    ledger,
    token: (org, role) => issuer.mint(org, role),
    async declaration(lot) {
      documents += 1;
      const hash = documentHash(`declaration ${documents} for ${lot} at ${dir}`);
      await ledger.submit(
        { org: "AN-PHAT", role: "SIGNER" },
        { type: "anchor", hash, id: `DECL-${lot}`, kind: "DECLARATION", cid: `bafy-decl-${documents}`, subjects: [lot] },
      );
      return hash;
    },
    async stop(remove = false) {
      await ledger.close();
      await product.stop();
      if (remove) await rm(dir, { recursive: true, force: true });
    },
  };
}
