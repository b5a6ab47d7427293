/**
 * The track anchorer on a node that captures, if it can anchor: it needs customs' SIGNER key (the issuer
 * of seal tracks) and customs' public document key. Without them it says so at start and does not run:
 * device reports are still taken and kept pending, and a node that has them anchors them later.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Kysely } from "kysely";
import type { Actor } from "../../domain/index.js";
import type { Database } from "../../indexer/store/index.js";
import type { DocumentStore } from "../../sdk/documents/store.js";
import type { Ledger } from "../../sdk/ledger.js";
import { TrackAnchorer, type TrackPolicy } from "./track-anchorer.js";

export interface TrackAnchorerSetup {
  db: Kysely<Database>;
  ledger: Ledger;
  /** The members whose keys `ledger` holds. */
  signers: readonly Actor[];
  documents: DocumentStore;
  /** Where the organisations' ORG.public.pem document keys are. */
  keysDir: string;
  policy: TrackPolicy;
  log: (line: string) => void;
}

export async function openTrackAnchorer(setup: TrackAnchorerSetup): Promise<TrackAnchorer | undefined> {
  const customs = new Set((await setup.db.selectFrom("organisations").select("id").where("kind", "=", "CUSTOMS").execute()).map((row) => row.id));
  const signer = setup.signers.find((actor) => actor.role === "SIGNER" && customs.has(actor.org));
  if (signer === undefined) {
    setup.log("seal tracks: this node holds no customs SIGNER key: device reports are kept pending, not anchored, until a node that holds one runs");
    return undefined;
  }
  const publicKey = async (org: string) => {
    try {
      return await readFile(join(setup.keysDir, `${org}.public.pem`), "utf8");
    } catch {
      return undefined;
    }
  };
  if ((await publicKey(signer.org)) === undefined) {
    setup.log(`seal tracks: no public document key of ${signer.org} in ${setup.keysDir}: device reports are kept pending, not anchored`);
    return undefined;
  }
  setup.log(
    `seal tracks: anchored by ${signer.org} at an alert, an unsealing, ${setup.policy.segmentReports} pending reports or ${setup.policy.segmentSeconds} s (TRACEGATE_TRACK_SEGMENT_*)`,
  );
  return new TrackAnchorer({ ...setup, signer, publicKey });
}
