/**
 * An enterprise's production: every few days, when its stock in production covers a batch, one
 * transform consumes its materials (within the norm, some waste) from the oldest lots and makes a lot
 * of products, which then leaves by its export flow; offcuts too small to use are destroyed under
 * customs supervision. The planted over-consumption is the first batch after `overConsumeFrom`.
 */
import { allowedConsumption, type Id, type LedgerTime, type Norm, type QuantityPart } from "../../domain/index.js";
import { overConsumption } from "../anomalies.js";
import type { EnterpriseProfile } from "../catalog.js";
import { officer, operatorOf, signerOf, type ScenarioContext } from "../context.js";
import { certificateOfOrigin, exportDeclaration } from "../documents.js";
import { anchorIntent, type Flow } from "../engine.js";

/** The planted over-consumption: 18% above what the norm allows, of the norm's first material. */
const OVER_CONSUMPTION_PERCENT = 118n;

export function* productionFlow(ctx: ScenarioContext, enterprise: EnterpriseProfile, norm: Norm, overConsumeFrom?: LedgerTime): Flow {
  const { random, engine } = ctx;
  let overConsume = overConsumeFrom;
  for (;;) {
    yield { wait: Math.max(1, Math.round(ctx.days(1, 3) / ctx.intensity)) };
    const over = overConsume !== undefined && engine.time(engine.slot) >= overConsume;
    const units = batchSize(ctx, enterprise.id, norm, random.int(1_500, 6_000), over);
    if (units < 300n) continue;
    const inputs: QuantityPart[] = [];
    let planted: { material: Id; expected: bigint; consumed: bigint } | undefined;
    for (const [index, input] of norm.inputs.entries()) {
      const allowed = allowedConsumption(norm, input.material, units);
      const net = (units * input.quantity + norm.outputQuantity - 1n) / norm.outputQuantity;
      let consumed = net + ((allowed - net) * BigInt(random.int(0, 95))) / 100n;
      if (over && index === 0) {
        consumed = (allowed * OVER_CONSUMPTION_PERCENT) / 100n;
        planted = { material: input.material, expected: allowed, consumed };
      }
      inputs.push(...takeFromPool(ctx, enterprise.id, input.material, consumed));
    }
    const product = ctx.lotId(enterprise.code, "P");
    const made = engine.time(engine.slot);
    yield { actor: operatorOf(enterprise.id), action: { type: "transform", product: norm.product, inputs, outputs: [{ lot: product, quantity: units }] } };
    if (planted !== undefined) {
      ctx.anomalies.push(overConsumption({ enterprise: enterprise.id, product: norm.product, lot: product, ...planted, time: made }));
      overConsume = undefined;
    }
    engine.spawn(exportFlow(ctx, enterprise, product, units), engine.slot + ctx.days(1, 4));
    yield* destroyOffcuts(ctx, enterprise.id, norm);
  }
}

/** Products a batch can make from the stock in production: `wanted`, or fewer, in hundreds. */
function batchSize(ctx: ScenarioContext, enterprise: Id, norm: Norm, wanted: number, over: boolean): bigint {
  let units = (BigInt(wanted) / 100n) * 100n;
  const stock = norm.inputs.map((input) => pooled(ctx, enterprise, input.material));
  const fits = (candidate: bigint) =>
    norm.inputs.every((input, index) => {
      const need = allowedConsumption(norm, input.material, candidate);
      return stock[index]! >= (over && index === 0 ? (need * OVER_CONSUMPTION_PERCENT) / 100n : need);
    });
  while (units >= 100n && !fits(units)) units -= 100n;
  return units;
}

/** What the lots in production hold of the material (the books may already count a lot its flow has not pooled yet). */
function pooled(ctx: ScenarioContext, enterprise: Id, material: Id): bigint {
  return ctx.pool(enterprise, material).reduce((sum, lot) => sum + ctx.engine.state.current(lot)!.quantity, 0n);
}

/** Parts of the oldest lots in production that make up `quantity` of the material. */
function takeFromPool(ctx: ScenarioContext, enterprise: Id, material: Id, quantity: bigint): QuantityPart[] {
  const pool = ctx.pool(enterprise, material);
  const parts: QuantityPart[] = [];
  let missing = quantity;
  for (const lot of pool) {
    if (missing === 0n) break;
    const held = ctx.engine.state.current(lot)!.quantity;
    const take = held < missing ? held : missing;
    parts.push({ lot, quantity: take });
    missing -= take;
  }
  if (missing > 0n) throw new Error(`${enterprise} lacks ${missing} ${material}: batchSize should have prevented it`);
  return parts;
}

/** Emptied lots leave the pool; remnants under 2% of a batch's need are destroyed as offcuts. */
function* destroyOffcuts(ctx: ScenarioContext, enterprise: Id, norm: Norm): Flow {
  for (const input of norm.inputs) {
    const pool = ctx.pool(enterprise, input.material);
    const threshold = allowedConsumption(norm, input.material, 2_000n) / 50n;
    for (const lot of [...pool]) {
      const quantity = ctx.engine.state.current(lot)!.quantity;
      if (quantity > 0n && quantity >= threshold) continue;
      pool.splice(pool.indexOf(lot), 1);
      if (quantity === 0n) ctx.engine.state.forgetLot(lot);
      else
        yield {
          actor: officer,
          action: { type: "destroy", lot, reason: "Tiêu hủy phế liệu dưới sự giám sát của hải quan (offcuts destroyed under customs supervision)" },
        };
    }
  }
}

/** A lot of products declared for export, through the export gate, cleared and gone; often with a Form D. */
function* exportFlow(ctx: ScenarioContext, enterprise: EnterpriseProfile, lot: Id, quantity: bigint): Flow {
  const { random, engine } = ctx;
  const owner = enterprise.id;
  const { product } = enterprise;
  const declaration = yield anchorIntent(
    signerOf(owner),
    exportDeclaration(ctx.cast, ctx.declarationNumber("EXPORT"), enterprise, lot, quantity, engine.time(engine.slot)),
  );
  if (declaration?.type !== "documentAnchored") throw new Error("expected the export declaration to be anchored");
  yield {
    actor: operatorOf(owner),
    action: {
      type: "declare",
      lot,
      goods: { material: product.id, hsCode: product.hsCode, unit: product.unit, quantity },
      direction: "EXPORT",
      preferenceClaimed: false,
      permitRequired: false,
      declaration: declaration.document.hash,
    },
  };
  yield { wait: ctx.hours(12, 48) };
  yield { actor: ctx.actorAt(enterprise.exportGate), action: { type: "arrive", lot, facility: enterprise.exportGate } };
  yield { wait: ctx.hours(2, 12) };
  yield { actor: officer, action: { type: "clear", lot, co: null, permit: null } };
  ctx.engine.state.forgetDocuments([declaration.document.hash]);
  yield { wait: ctx.hours(2, 24) };
  yield { actor: ctx.releaser(engine.state.current(lot)!), action: { type: "depart", lot } };
  if (random.chance(0.6)) {
    yield { wait: ctx.hours(4, 48) };
    const issuer = enterprise.exportCoIssuer;
    const reference = `FORMD-VN-${String(ctx.next(`co-${issuer}`)).padStart(6, "0")}`;
    const goods = { hsCode: product.hsCode, description: product.description, quantity, unit: product.unit };
    const event = yield anchorIntent(signerOf(issuer), certificateOfOrigin(ctx.cast, reference, issuer, "D", owner, lot, goods, engine.time(engine.slot)), [
      lot,
    ]);
    if (event?.type === "documentAnchored") ctx.engine.state.forgetDocuments([event.document.hash]);
  }
}
