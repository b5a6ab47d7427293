/**
 * Paperwork around production: each enterprise registers its product's consumption norm at the start
 * of the year, and files a BALANCE_REPORT (closing stock of each material by its books) some days after
 * each quarter it completes within the year.
 */
import type { Norm } from "../../domain/index.js";
import type { EnterpriseProfile } from "../catalog.js";
import { signerOf, type ScenarioContext } from "../context.js";
import { balanceReport, consumptionNorm } from "../documents.js";
import { anchorIntent, type Flow } from "../engine.js";

export function normOf(enterprise: EnterpriseProfile, document: Norm["document"]): Norm {
  const { id, hsCode, unit, outputQuantity, inputs } = enterprise.product;
  return { owner: enterprise.id, product: id, hsCode, unit, outputQuantity, inputs, document };
}

export function* registerNorm(ctx: ScenarioContext, enterprise: EnterpriseProfile): Flow {
  const anchored = yield anchorIntent(signerOf(enterprise.id), consumptionNorm(ctx.cast, enterprise, ctx.engine.time(ctx.engine.slot)));
  if (anchored?.type !== "documentAnchored") throw new Error("expected the norm document to be anchored");
  const { owner: _owner, ...norm } = normOf(enterprise, anchored.document.hash);
  yield { actor: signerOf(enterprise.id), action: { type: "registerNorm", ...norm } };
}

/** Reports for the quarters ending at `boundaries` (slots), filed 5 to 15 days after each. */
export function* balanceReports(ctx: ScenarioContext, enterprise: EnterpriseProfile, boundaries: readonly number[]): Flow {
  const { engine } = ctx;
  for (const [quarter, boundary] of boundaries.entries()) {
    yield { wait: boundary + ctx.days(5, 15) - engine.slot };
    const period = { from: engine.time(quarter === 0 ? 0 : boundaries[quarter - 1]!), to: engine.time(boundary) };
    const books = ctx.closing(quarter, enterprise.id);
    const closing = new Map(enterprise.product.inputs.map(({ material }) => [material, books.get(material) ?? 0n] as const));
    const report = balanceReport(`BCQT-${enterprise.code}-${ctx.year}-Q${quarter + 1}`, enterprise.id, period, closing);
    const event = yield anchorIntent(signerOf(enterprise.id), report);
    if (event?.type === "documentAnchored") engine.state.forgetDocuments([event.document.hash]);
  }
}
