/**
 * The audit API's seeded scenario: five days of one processing enterprise's trade, written out step by
 * step so every answer of the API can be worked out by hand (the comments give the figures the tests
 * assert). ENT-1 imports fabric and thread, the warehouse splits the thread, customs holds the fabric
 * and revokes an inspection, ENT-1 makes shirts (once within its norm, once over it), scraps the rest
 * and exports one lot of shirts, then files its balance report. ENT-2's chips wait in the warehouse:
 * the lot other organisations must not see. VCCI issues certificates, one batch with a revoked member.
 * The domain ledger decides every step, so the events are the rules' own.
 */
import { buildBatch, documentHash, InMemoryLedger, type Action, type Actor, type DocumentKind, type Hash, type LedgerTime } from "../../domain/index.js";
import { serializeBalanceReport } from "../../sdk/balance-report.js";
import { FLOW_FACILITIES, FLOW_ORGANISATIONS, type Step } from "../../scripts/workloads/trade-flows.js";

/** 2027-01-15T00:00:00Z, the first day of the scenario. */
export const DAY0 = 1_799_971_200n;
const DAY = 86_400n;

/** Ledger time on day `day` of the scenario at `hour`:`minute` UTC. */
export function at(day: number, hour: number, minute = 0): LedgerTime {
  return DAY0 + BigInt(day) * DAY + BigInt(hour * 3600 + minute * 60);
}

export const iso = (time: LedgerTime) => new Date(Number(time) * 1000).toISOString();

const officer: Actor = { org: "CUSTOMS", role: "OFFICER" };
const customsSigner: Actor = { org: "CUSTOMS", role: "SIGNER" };
const terminal: Actor = { org: "TERMINAL", role: "OPERATOR" };
const terminalSigner: Actor = { org: "TERMINAL", role: "SIGNER" };
const vcci: Actor = { org: "VCCI", role: "SIGNER" };
const operator = (org: string): Actor => ({ org, role: "OPERATOR" });
const signer = (org: string): Actor => ({ org, role: "SIGNER" });

/** The balance report ENT-1 files for days 0 to 4: fabric as the books say, thread 10 short. */
export const BALANCE_REPORT_TEXT = serializeBalanceReport({
  enterprise: "ENT-1",
  period: { from: at(0, 0), to: at(5, 0) },
  closing: new Map([
    ["FABRIC", 0n],
    ["THREAD", 40n],
  ]),
});

/** Contents of the three certificates VCCI issues in one batch (the third is revoked). */
export const BATCH_CONTENTS = ["CO batch member 1", "CO batch member 2", "CO batch member 3"];

export interface Scenario {
  /** The domain ledger after the scenario, to decide further steps. */
  ledger: InMemoryLedger;
  steps: Step[];
  /** Hashes of the scenario's documents by their document id. */
  documents: Map<string, Hash>;
  batch: { root: Hash; hashes: Hash[]; proofs: Hash[][] };
}

export async function buildScenario(): Promise<Scenario> {
  const ledger = new InMemoryLedger();
  for (const organisation of FLOW_ORGANISATIONS) ledger.registerOrganisation(organisation);
  for (const facility of FLOW_FACILITIES) ledger.registerFacility(facility);
  const steps: Step[] = [];
  const documents = new Map<string, Hash>();
  const submit = async (time: LedgerTime, actor: Actor, action: Action) => {
    steps.push({ actor, action, event: await ledger.submit(actor, action, time) });
  };
  const anchor = async (time: LedgerTime, actor: Actor, kind: DocumentKind, id: string, subjects: string[] = [], content = `scenario document ${id}`) => {
    const hash = documentHash(content);
    documents.set(id, hash);
    await submit(time, actor, { type: "anchor", hash, id, kind, cid: `bafy-${id.toLowerCase()}`, subjects });
    return hash;
  };
  const declare = async (
    time: LedgerTime,
    owner: string,
    lot: string,
    goods: [string, string, string, bigint],
    direction: "IMPORT" | "EXPORT",
    flags: { co?: boolean; permit?: boolean } = {},
  ) => {
    const declaration = await anchor(time, signer(owner), "DECLARATION", `DECL-${lot}`);
    const [material, hsCode, unit, quantity] = goods;
    await submit(time + 60n, operator(owner), {
      type: "declare",
      lot,
      goods: { material, hsCode, unit, quantity },
      direction,
      preferenceClaimed: flags.co ?? false,
      permitRequired: flags.permit ?? false,
      declaration,
    });
  };

  // Day 0: the norm, three import declarations, arrivals, storage, a hold.
  const norm = await anchor(at(0, 8), signer("ENT-1"), "NORM", "NORM-PROD-1");
  await submit(at(0, 8, 1), signer("ENT-1"), {
    type: "registerNorm",
    product: "PROD-1",
    hsCode: "62052000",
    unit: "PCE",
    outputQuantity: 10n,
    inputs: [
      { material: "FABRIC", quantity: 12n, wasteBps: 500 },
      { material: "THREAD", quantity: 3n, wasteBps: 0 },
    ],
    document: norm,
  });
  await declare(at(0, 8, 2), "ENT-1", "LOT-F1", ["FABRIC", "52085200", "KGM", 1000n], "IMPORT", { co: true });
  await declare(at(0, 8, 4), "ENT-1", "LOT-T1", ["THREAD", "52041100", "KGM", 300n], "IMPORT", { permit: true });
  await declare(at(0, 8, 6), "ENT-2", "LOT-X1", ["CHIP", "85423100", "PCE", 500n], "IMPORT");
  await submit(at(0, 10), officer, { type: "arrive", lot: "LOT-F1", facility: "GATE-1" });
  await submit(at(0, 10, 30), terminal, { type: "arrive", lot: "LOT-T1", facility: "GATE-2" });
  await submit(at(0, 11), officer, { type: "arrive", lot: "LOT-X1", facility: "GATE-1" });
  await submit(at(0, 11, 30), terminal, { type: "store", lot: "LOT-T1", facility: "WH-1" }); // ARRIVED at GATE-2: 1 h
  await submit(at(0, 12), terminal, { type: "store", lot: "LOT-F1", facility: "WH-1" }); // ARRIVED at GATE-1: 2 h
  await submit(at(0, 15), terminal, { type: "store", lot: "LOT-X1", facility: "WH-1" }); // ARRIVED at GATE-1: 4 h
  await submit(at(0, 16), officer, { type: "hold", lot: "LOT-F1", reason: "inspection" }); // IN_WAREHOUSE at WH-1: 4 h
  await anchor(at(0, 16, 10), customsSigner, "INSPECTION", "INSP-F1", ["LOT-F1"]);
  await submit(at(0, 20), officer, { type: "unhold", lot: "LOT-F1" }); // HELD at WH-1: 4 h

  // Day 1: certificates, clearance, the thread split, release into ENT-1's factory.
  const co = await anchor(at(1, 8), vcci, "CO", "CO-F1", ["LOT-F1"]);
  const permit = await anchor(at(1, 8, 5), vcci, "PERMIT", "PERMIT-T1", ["LOT-T1"]);
  await submit(at(1, 8, 10), customsSigner, { type: "revoke", hash: documents.get("INSP-F1")!, reason: "recorded against the wrong container" });
  await submit(at(1, 9), officer, { type: "clear", lot: "LOT-F1", co, permit: null }); // IN_WAREHOUSE at WH-1: 13 h
  await submit(at(1, 9, 30), terminal, {
    type: "split",
    lot: "LOT-T1",
    parts: [
      { lot: "LOT-T1A", quantity: 200n },
      { lot: "LOT-T1B", quantity: 100n },
    ],
  });
  await submit(at(1, 10), officer, { type: "clear", lot: "LOT-T1A", co: null, permit });
  await submit(at(1, 11), officer, { type: "release", lot: "LOT-F1" });
  await submit(at(1, 11, 30), officer, { type: "release", lot: "LOT-T1A" });
  await submit(at(1, 14), operator("ENT-1"), { type: "receive", lot: "LOT-F1", facility: "FACTORY-ENT-1" }); // received 1000 FABRIC
  await submit(at(1, 14, 30), operator("ENT-1"), { type: "receive", lot: "LOT-T1A", facility: "FACTORY-ENT-1" }); // received 200 THREAD

  // Day 2: production. 500 shirts allow 630 FABRIC and 150 THREAD; 200 shirts allow 252 FABRIC (300 used: flagged).
  await submit(at(2, 9), operator("ENT-1"), {
    type: "transform",
    product: "PROD-1",
    inputs: [
      { lot: "LOT-F1", quantity: 600n },
      { lot: "LOT-T1A", quantity: 150n },
    ],
    outputs: [
      { lot: "LOT-P1", quantity: 400n },
      { lot: "LOT-P2", quantity: 100n },
    ],
  });
  await submit(at(2, 15), operator("ENT-1"), {
    type: "transform",
    product: "PROD-1",
    inputs: [{ lot: "LOT-F1", quantity: 300n }],
    outputs: [{ lot: "LOT-P3", quantity: 200n }],
  });
  await submit(at(2, 16), officer, { type: "destroy", lot: "LOT-F1", reason: "offcuts" }); // destroyed 100 FABRIC

  // Day 3: 400 shirts exported (norm: 504 FABRIC, 120 THREAD); paperwork.
  await declare(at(3, 8), "ENT-1", "LOT-P1", ["PROD-1", "62052000", "PCE", 400n], "EXPORT");
  await submit(at(3, 10), officer, { type: "arrive", lot: "LOT-P1", facility: "GATE-1" });
  await submit(at(3, 13), officer, { type: "clear", lot: "LOT-P1", co: null, permit: null }); // ARRIVED at GATE-1: 3 h
  await submit(at(3, 14), officer, { type: "depart", lot: "LOT-P1" });
  const manifest = await anchor(at(3, 15), terminalSigner, "MANIFEST", "MAN-1");
  const amended = documentHash("scenario document MAN-1 v2");
  documents.set("MAN-1 v2", amended);
  await submit(at(3, 15, 10), terminalSigner, { type: "supersede", previous: manifest, hash: amended, id: "MAN-1", cid: "bafy-man-1-v2", subjects: [] });
  const hashes = BATCH_CONTENTS.map((content) => documentHash(content));
  const { root, proofs } = buildBatch(hashes);
  await submit(at(3, 16), vcci, { type: "anchorBatch", root, kind: "CO", count: hashes.length });
  await submit(at(3, 16, 10), vcci, { type: "revokeBatchMember", root, leaf: hashes[2]!, proof: proofs[2]!, reason: "issued in error" });

  // Day 4: ENT-1's balance report for days 0-4.
  await anchor(at(4, 9), signer("ENT-1"), "BALANCE_REPORT", "BR-2027-01", [], BALANCE_REPORT_TEXT);
  return { ledger, steps, documents, batch: { root, hashes, proofs } };
}
