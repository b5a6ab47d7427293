/**
 * Gas per operation, from receipts on the in-process chain: TradeTrust's DocumentStore `issue`
 * (deployed from its npm package on the same chain) as the reference, then every TraceGate operation in
 * a realistic import → production → export flow. Shared by `npm run bench` and the gas test.
 */
import { createRequire } from "node:module";
import { ContractFactory, id as keccakOfText, type InterfaceAbi } from "ethers";
import { buildBatch, documentHash, type Action, type Actor, type CustodyAction, type DocumentKind, type Hash } from "../../domain/index.js";
import { EvmChain } from "../harness/evm-chain.js";
import { CUSTODY_BATCH_SIZES, custodyBatchLabel } from "./custody-batches.js";
import { TimedEvmLedger } from "../harness/timed-evm-ledger.js";

const require = createRequire(import.meta.url);
const { DocumentStore__factory } = require("@tradetrust-tt/document-store/dist/contracts/factories/DocumentStore__factory.js") as {
  DocumentStore__factory: new () => { interface: InterfaceAbi; bytecode: string };
};

const CUSTOMS: Actor = { org: "VNCUSTOMS", role: "OFFICER" };
const ANPHAT: Actor = { org: "AN-PHAT", role: "OPERATOR" };
const ANPHAT_SIGNER: Actor = { org: "AN-PHAT", role: "SIGNER" };
const TERMINAL: Actor = { org: "SAIGON-TERMINAL", role: "OPERATOR" };
const VCCI: Actor = { org: "VCCI-HCM", role: "SIGNER" };
/** A CIDv1 (raw leaves, SHA-256, base32) as the document store produces: 59 characters. */
const CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
/** 166 × "ệ" (3 bytes each) and "ab": 500 bytes of UTF-8. */
const LONGEST_REASON = `${"ệ".repeat(166)}ab`;
const doc = (name: string): Hash => documentHash(`gas benchmark document ${name}`);

/** Gas used by each operation, by label, the lots each created (split, transform), and the actions of each atomic batch. */
export interface GasFigures {
  gas: Map<string, number>;
  created: Map<string, number>;
  batchSizes: number[];
  batchedActions: Map<string, number>;
}

const declare = (
  lot: string,
  material: string,
  quantity: bigint,
  direction: "IMPORT" | "EXPORT",
  declaration: Hash,
  preferenceClaimed = false,
  permitRequired = false,
): Action => ({
  type: "declare",
  lot,
  goods: { material, hsCode: material === "SHIRT-M" ? "62052000" : "52085200", unit: material === "SHIRT-M" ? "PCE" : "MTR", quantity },
  direction,
  preferenceClaimed,
  permitRequired,
  declaration,
});
const anchor = (name: string, kind: DocumentKind, subjects: string[]): Action => ({
  type: "anchor",
  hash: doc(name),
  id: name.toUpperCase(),
  kind,
  cid: CID,
  subjects,
});
const parts = (prefix: string, count: number, each: bigint) => Array.from({ length: count }, (_, index) => ({ lot: `${prefix}-${index + 1}`, quantity: each }));

export async function measureGas(progress: (label: string) => void = () => {}): Promise<GasFigures> {
  const chain = await EvmChain.start();
  const ledger = new TimedEvmLedger(chain);
  const figures: GasFigures = { gas: new Map(), created: new Map(), batchSizes: [1, 100, 1000], batchedActions: new Map() };
  let time = 1_800_000_000n;
  const submit = (actor: Actor, action: Action) => ledger.submit(actor, action, (time += 10n));
  const measure = async (label: string, actor: Actor, action: Action, created = 0) => {
    progress(label);
    await submit(actor, action);
    figures.gas.set(label, Number((await chain.receipt(ledger.lastTransaction!)).gasUsed));
    if (created > 0) figures.created.set(label, created);
  };
  try {
    await ledger.register(
      [
        { id: "VNCUSTOMS", kind: "CUSTOMS" },
        { id: "AN-PHAT", kind: "ENTERPRISE" },
        { id: "SAIGON-TERMINAL", kind: "WAREHOUSE" },
        { id: "VCCI-HCM", kind: "ISSUER" },
      ],
      [
        { id: "VNSGN-CATLAI", kind: "BORDER_GATE", operator: "VNCUSTOMS" },
        { id: "VNSGN-BONDED-1", kind: "WAREHOUSE", operator: "SAIGON-TERMINAL" },
        { id: "VNBNH-ANPHAT-F1", kind: "FACTORY", operator: "AN-PHAT" },
      ],
    );

    progress("TradeTrust DocumentStore.issue");
    const [admin] = await chain.connection.ethers.getSigners();
    const template = new DocumentStore__factory();
    const store = await new ContractFactory(template.interface, template.bytecode, admin).deploy("TradeTrust", admin!.address);
    const issue = await (await store.getFunction("issue")(keccakOfText("a TradeTrust document"))).wait();
    figures.gas.set("TradeTrust DocumentStore.issue", Number(issue!.gasUsed));

    await measure("anchor (1 subject, 59-char CID)", ANPHAT_SIGNER, anchor("decl-imp-1", "DECLARATION", ["AP-FAB-1"]));
    for (const [name, kind] of [
      ["decl-imp-2", "DECLARATION"],
      ["decl-exp-1", "DECLARATION"],
      ["norm-shirt", "NORM"],
    ] as const) {
      await submit(ANPHAT_SIGNER, anchor(name, kind, []));
    }
    await submit(VCCI, anchor("co-1", "CO", ["AP-SHIRT-1"]));
    await submit(VCCI, anchor("co-2", "CO", ["AP-FAB-2"]));
    await submit(VCCI, anchor("permit-1", "PERMIT", ["AP-FAB-2"]));
    await submit(VCCI, anchor("co-3", "CO", []));
    await measure("revoke", VCCI, { type: "revoke", hash: doc("co-3"), reason: "issued in error" });
    let thousand = buildBatch([doc("co-batch-0")]);
    for (const size of figures.batchSizes) {
      const batch = buildBatch(Array.from({ length: size }, (_, index) => doc(`co-batch-${size}-${index}`)));
      await measure(`anchorBatch (${size.toLocaleString("en")} document${size === 1 ? "" : "s"})`, VCCI, {
        type: "anchorBatch",
        root: batch.root,
        kind: "CO",
        count: size,
      });
      thousand = batch;
    }
    const leaf = doc("co-batch-1000-7");
    await measure("revokeBatchMember (depth 10)", VCCI, {
      type: "revokeBatchMember",
      root: thousand.root,
      leaf,
      proof: thousand.proofs[7]!,
      reason: "issued in error",
    });

    await measure("registerNorm (1 input)", ANPHAT_SIGNER, {
      type: "registerNorm",
      product: "SHIRT-M",
      hsCode: "62052000",
      unit: "PCE",
      outputQuantity: 100n,
      inputs: [{ material: "FAB-COT", quantity: 120n, wasteBps: 500 }],
      document: doc("norm-shirt"),
    });
    await measure("declare (new lot)", ANPHAT, declare("AP-FAB-1", "FAB-COT", 1000n, "IMPORT", doc("decl-imp-1")));
    await measure("arrive", CUSTOMS, { type: "arrive", lot: "AP-FAB-1", facility: "VNSGN-CATLAI" });
    await measure("store", TERMINAL, { type: "store", lot: "AP-FAB-1", facility: "VNSGN-BONDED-1" });
    await measure("hold", CUSTOMS, { type: "hold", lot: "AP-FAB-1", reason: "physical inspection" });
    await measure("unhold", CUSTOMS, { type: "unhold", lot: "AP-FAB-1" });
    // The dearest hold: a Vietnamese reason of 500 bytes of UTF-8, the longest the rules accept.
    await measure("hold (500-byte reason)", CUSTOMS, { type: "hold", lot: "AP-FAB-1", reason: LONGEST_REASON });
    await submit(CUSTOMS, { type: "unhold", lot: "AP-FAB-1" });
    await measure("clear (declaration only)", CUSTOMS, { type: "clear", lot: "AP-FAB-1", co: null, permit: null });
    await measure("release", TERMINAL, { type: "release", lot: "AP-FAB-1" });
    await measure("receive", ANPHAT, { type: "receive", lot: "AP-FAB-1", facility: "VNBNH-ANPHAT-F1" });
    await measure(
      "transform (1 input, 1 output)",
      ANPHAT,
      { type: "transform", product: "SHIRT-M", inputs: [{ lot: "AP-FAB-1", quantity: 150n }], outputs: [{ lot: "AP-SHIRT-1", quantity: 100n }] },
      1,
    );
    await measure("declare (produced lot)", ANPHAT, declare("AP-SHIRT-1", "SHIRT-M", 100n, "EXPORT", doc("decl-exp-1"), true));
    await submit(CUSTOMS, { type: "arrive", lot: "AP-SHIRT-1", facility: "VNSGN-CATLAI" });
    await measure("clear (declaration, CO)", CUSTOMS, { type: "clear", lot: "AP-SHIRT-1", co: doc("co-1"), permit: null });
    await measure("depart", CUSTOMS, { type: "depart", lot: "AP-SHIRT-1" });
    await measure("destroy", CUSTOMS, { type: "destroy", lot: "AP-FAB-1", reason: "damaged in production" });

    await submit(ANPHAT, declare("AP-FAB-2", "FAB-COT", 1200n, "IMPORT", doc("decl-imp-2"), true, true));
    await measure("supersede", ANPHAT_SIGNER, {
      type: "supersede",
      previous: doc("decl-imp-2"),
      hash: doc("decl-imp-2b"),
      id: "DECL-IMP-2",
      cid: CID,
      subjects: ["AP-FAB-2"],
    });
    await submit(CUSTOMS, { type: "arrive", lot: "AP-FAB-2", facility: "VNSGN-CATLAI" });
    await measure("clear (amended declaration, CO, permit)", CUSTOMS, { type: "clear", lot: "AP-FAB-2", co: doc("co-2"), permit: doc("permit-1") });
    await submit(CUSTOMS, { type: "release", lot: "AP-FAB-2" });
    await measure("split (2 parts)", ANPHAT, { type: "split", lot: "AP-FAB-2", parts: parts("AP-FAB-2", 2, 600n) }, 2);
    await measure("split (4 parts)", ANPHAT, { type: "split", lot: "AP-FAB-2-1", parts: parts("AP-FAB-2-1", 4, 150n) }, 4);
    for (const lot of ["AP-FAB-2-1-1", "AP-FAB-2-1-2"]) await submit(ANPHAT, { type: "receive", lot, facility: "VNBNH-ANPHAT-F1" });
    await measure(
      "transform (2 inputs, 2 outputs)",
      ANPHAT,
      { type: "transform", product: "SHIRT-M", inputs: parts("AP-FAB-2-1", 2, 150n), outputs: parts("AP-SHIRT-2", 2, 100n) },
      2,
    );

    // Transit under seal: customs seals a lot at the gate for the bonded warehouse, its e-seal reports
    // a long stop, the warehouse unseals it intact; a second lot arrives with its seal broken (held).
    await submit(ANPHAT_SIGNER, anchor("transit-1", "TRANSIT", ["AP-FAB-3", "AP-FAB-4"]));
    await submit(ANPHAT_SIGNER, anchor("decl-imp-3", "DECLARATION", ["AP-FAB-3", "AP-FAB-4"]));
    for (const lot of ["AP-FAB-3", "AP-FAB-4"]) {
      await submit(ANPHAT, declare(lot, "FAB-COT", 500n, "IMPORT", doc("decl-imp-3")));
      await submit(CUSTOMS, { type: "arrive", lot, facility: "VNSGN-CATLAI" });
    }
    const sealFor = (lot: string): Action => ({
      type: "seal",
      lot,
      facility: "VNSGN-BONDED-1",
      seal: `ESEAL-${lot}`,
      deadline: time + 86_400n,
      transit: doc("transit-1"),
    });
    await measure("seal", CUSTOMS, sealFor("AP-FAB-3"));
    await measure("alert", CUSTOMS, { type: "alert", lot: "AP-FAB-3", seal: "ESEAL-AP-FAB-3", alert: "LONG_STOP", detail: "" });
    await measure("unseal", TERMINAL, { type: "unseal", lot: "AP-FAB-3", facility: "VNSGN-BONDED-1", sealIntact: true, reason: "" });
    await submit(CUSTOMS, sealFor("AP-FAB-4"));
    await measure("unseal (seal broken, held)", TERMINAL, {
      type: "unseal",
      lot: "AP-FAB-4",
      facility: "VNSGN-BONDED-1",
      sealIntact: false,
      reason: "wire cut, 3 cartons missing",
    });

    // Atomic batches (one transaction each): new lots declared, then customs taking lots from the gate
    // to release, five actions per lot.
    await submit(ANPHAT_SIGNER, anchor("decl-batches", "DECLARATION", []));
    const measureBatch = async (label: string, actor: Actor, actions: CustodyAction[]) => {
      progress(label);
      await ledger.submitBatch(actor, actions, (time += 10n));
      figures.gas.set(label, Number((await chain.receipt(ledger.lastTransaction!)).gasUsed));
      figures.batchedActions.set(label, actions.length);
    };
    for (const size of CUSTODY_BATCH_SIZES) {
      const lots = Array.from({ length: size }, (_, index) => `AP-B${size}-${index + 1}`);
      await measureBatch(
        custodyBatchLabel(size, "declare"),
        ANPHAT,
        lots.map((lot) => declare(lot, "FAB-COT", 100n, "IMPORT", doc("decl-batches")) as CustodyAction),
      );
      const moved = lots.slice(0, size / 5);
      await measureBatch(
        custodyBatchLabel(size, "movements"),
        CUSTOMS,
        moved.flatMap((lot): CustodyAction[] => [
          { type: "arrive", lot, facility: "VNSGN-CATLAI" },
          { type: "hold", lot, reason: "physical inspection" },
          { type: "unhold", lot },
          { type: "clear", lot, co: null, permit: null },
          { type: "release", lot },
        ]),
      );
    }
    return figures;
  } finally {
    await chain.stop();
  }
}

/** The figures as table rows: label, gas, and gas per document, per batched action or per created lot where it applies. */
export function gasRows({ gas, created, batchSizes, batchedActions }: GasFigures): Array<[string, number, string]> {
  return [...gas].map(([label, used]) => {
    const size = batchSizes.find((n) => label.startsWith(`anchorBatch (${n.toLocaleString("en")} document`));
    if (size !== undefined) return [label, used, `${Math.round(used / size).toLocaleString("en")} per document`];
    const actions = batchedActions.get(label);
    if (actions !== undefined) return [label, used, `${Math.round(used / actions).toLocaleString("en")} per action`];
    const lots = created.get(label);
    return [label, used, lots === undefined ? "" : `${Math.round(used / lots).toLocaleString("en")} per created lot`];
  });
}
