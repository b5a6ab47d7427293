/**
 * One import consignment of processing materials: declaration, arrival at the border gate, perhaps a
 * leg under customs seal to an inland depot (transit.ts), perhaps a bonded warehouse or ICD (where it
 * may be split for partial clearance, held and inspected), the C/O and specialised-inspection permit
 * its clearance needs, release, and receipt at the enterprise's factory. `plant` turns a consignment
 * into one of the planted anomalies.
 */
import { allowedConsumption, type Hash, type Id, type LedgerEvent, type Lot, type Norm } from "../../domain/index.js";
import { coRevokedAfterClearance, hold, releasedNeverReceived, routeDeviation, sealBroken, transitOverdue } from "../anomalies.js";
import type { EnterpriseProfile, Route } from "../catalog.js";
import { material as materialOf } from "../catalog.js";
import { customsSigner, officer, operatorOf, signerOf, type ScenarioContext } from "../context.js";
import { corridor } from "../corridors.js";
import { certificateOfOrigin, customsInspection, importDeclaration, inspectionPermit, type Consignment } from "../documents.js";
import { anchorIntent, type Flow } from "../engine.js";
import type { Incident } from "../trips.js";
import { SEAL_CUT_REASON, transitLeg } from "./transit.js";

export type Plant = "RELEASED_NEVER_RECEIVED" | "CO_REVOKED_AFTER_CLEARANCE" | "HOLD" | TransitPlant;
/** The planted transit anomalies, each the incident that makes it. */
export const TRANSIT_PLANTS = { TRANSIT_OVERDUE: "BREAKDOWN", SEAL_BROKEN: "SEAL_CUT", ROUTE_DEVIATION: "DETOUR" } as const satisfies Record<string, Incident>;
export type TransitPlant = keyof typeof TRANSIT_PLANTS;

/** The gate where goods wait for days: the planted slow gate. */
export const SLOW_GATE = "VNLCI-LAOCAI";
const HOLD_REASON = "Nghi vấn khai sai mã HS và trị giá: khai 85423900, mẫu thực tế 85176249 (suspected HS misclassification and undervaluation)";
const CO_REVOCATION = "Kiểm tra sau (retroactive check): nhà sản xuất không đáp ứng tiêu chí xuất xứ RVC 40%";
/** Of the consignments through a gate with a corridor to a depot near the factory, the share cleared there. */
const TRANSIT_SHARE = 0.4;
/** Unit prices in US cents, for invoice values. */
const PRICE_CENTS: Record<Id, bigint> = {
  "COTTON-FABRIC": 310n,
  "POLY-LINING": 140n,
  "SEWING-THREAD": 900n,
  BUTTONS: 2n,
  "IC-PROCESSOR": 1850n,
  "PCB-BARE": 240n,
  CAPACITOR: 1n,
  "DISPLAY-MODULE": 2400n,
  "LEATHER-UPPER": 2100n,
  "RUBBER-SOLE": 180n,
  ADHESIVE: 450n,
};

/** Plans a consignment of the material the enterprise is shortest of, sized for a few thousand products. */
export function planConsignment(ctx: ScenarioContext, enterprise: EnterpriseProfile, norm: Norm, route?: Route): Consignment {
  const { random } = ctx;
  const coverage = (input: Norm["inputs"][number]) =>
    ((ctx.stock(enterprise.id, input.material) + ctx.pendingImports(enterprise.id, input.material)) * norm.outputQuantity) / input.quantity;
  const input = norm.inputs.reduce((short, candidate) => (coverage(candidate) < coverage(short) ? candidate : short));
  const material = materialOf(input.material);
  const quantity = allowedConsumption(norm, input.material, random.big(3_000n, 12_000n));
  const chosen = route ?? random.weighted(enterprise.routes.map((r) => [r, r.weight] as const));
  const inland = enterprise.transit[chosen.gate];
  return {
    lot: ctx.lotId(enterprise.code, "I"),
    enterprise,
    material,
    quantity,
    route: chosen,
    preferenceClaimed: chosen.co !== null && random.chance(0.85),
    permitRequired: material.permit !== null && random.chance(material.permit.rate),
    valueCents: quantity * (PRICE_CENTS[material.id] ?? 100n),
    transit: inland !== undefined && random.chance(TRANSIT_SHARE) ? corridor(inland) : null,
  };
}

export function* importFlow(ctx: ScenarioContext, consignment: Consignment, plant?: Plant): Flow {
  const { random, engine } = ctx;
  const { enterprise, route, material } = consignment;
  const owner = enterprise.id;
  ctx.addPending(owner, material.id, consignment.quantity);
  const documents: Hash[] = [];
  const anchored = (event: LedgerEvent | undefined) => {
    if (event?.type !== "documentAnchored") throw new Error("expected a document to be anchored");
    documents.push(event.document.hash);
    return event.document.hash;
  };

  const number = ctx.declarationNumber("IMPORT");
  const declaration = anchored(yield anchorIntent(signerOf(owner), importDeclaration(ctx.cast, number, consignment, engine.time(engine.slot))));
  yield {
    actor: operatorOf(owner),
    action: {
      type: "declare",
      lot: consignment.lot,
      goods: { material: material.id, hsCode: material.hsCode, unit: material.unit, quantity: consignment.quantity },
      direction: "IMPORT",
      preferenceClaimed: consignment.preferenceClaimed,
      permitRequired: consignment.permitRequired,
      declaration,
    },
  };
  let co: Hash | null = null;
  if (consignment.preferenceClaimed) {
    const { issuer, form } = route.co!;
    const reference = `${form === "D" ? "FORMD" : "FORME"}-${route.origin}-${String(ctx.next(`co-${issuer}`)).padStart(6, "0")}`;
    const goods = { hsCode: material.hsCode, description: material.description, quantity: consignment.quantity, unit: material.unit };
    co = anchored(
      yield anchorIntent(signerOf(issuer), certificateOfOrigin(ctx.cast, reference, issuer, form, owner, consignment.lot, goods, engine.time(engine.slot)), [
        consignment.lot,
      ]),
    );
  }
  if (random.chance(0.05)) {
    yield { wait: ctx.hours(2, 20) };
    const amended = importDeclaration(ctx.cast, number, consignment, engine.time(engine.slot), 1);
    const intent = anchorIntent(signerOf(owner), amended, []);
    const { hash, cid, id } = intent.action as Extract<typeof intent.action, { type: "anchor" }>;
    anchored(yield { ...intent, action: { type: "supersede", previous: declaration, hash, id, cid, subjects: [] } });
  }

  yield { wait: ctx.days(1, 5) };
  yield { actor: ctx.actorAt(route.gate), action: { type: "arrive", lot: consignment.lot, facility: route.gate } };
  if (plant === "HOLD") {
    yield { wait: ctx.hours(3, 8) };
    const held = engine.time(engine.slot);
    yield { actor: officer, action: { type: "hold", lot: consignment.lot, reason: HOLD_REASON } };
    ctx.anomalies.push(hold({ enterprise: owner, lot: consignment.lot, facility: route.gate, reason: HOLD_REASON, held, end: engine.options.end }));
    return;
  }
  yield { wait: route.gate === SLOW_GATE ? ctx.days(3, 8) : ctx.hours(2, 18) };
  ctx.arrivedStays.set(route.gate, (ctx.arrivedStays.get(route.gate) ?? 0) + 1);

  let warehouse = route.warehouse !== null && random.chance(0.7) ? route.warehouse : null;
  let inspect = plant === undefined && random.chance(warehouse === null ? 0.08 : 0.04);
  if (consignment.transit !== null) {
    const transit = plant !== undefined && plant in TRANSIT_PLANTS ? (plant as TransitPlant) : undefined;
    const leg = yield* transitLeg(ctx, consignment, consignment.transit, documents, transit && TRANSIT_PLANTS[transit]);
    warehouse = consignment.transit.destination;
    const where = { enterprise: owner, lot: consignment.lot, corridor: consignment.transit, seal: leg.trip.seal, sealed: leg.trip.sealedAt };
    if (transit === "SEAL_BROKEN") {
      yield* inspectHeld(ctx, consignment.lot, warehouse, "Thiếu 2 kiện so với khai báo; lập biên bản vi phạm (2 packages short: offence report)");
      ctx.anomalies.push(sealBroken({ ...where, opened: leg.trip.openedAt!, unsealed: leg.unsealedAt, reason: SEAL_CUT_REASON, end: engine.options.end }));
      ctx.engine.state.forgetDocuments(documents);
      return;
    }
    if (transit === "TRANSIT_OVERDUE") {
      ctx.anomalies.push(transitOverdue({ ...where, deadline: leg.deadline, unsealed: leg.unsealedAt }));
      yield* inspectHeld(ctx, consignment.lot, warehouse, "Hàng hóa nguyên trạng, xe hỏng dọc đường (goods intact; the truck broke down on the way)");
      yield { actor: officer, action: { type: "unhold", lot: consignment.lot } };
    }
    if (transit === "ROUTE_DEVIATION") {
      const deviation = leg.trip.alerts.find(({ alert }) => alert === "ROUTE_DEVIATION")!;
      ctx.anomalies.push(routeDeviation({ ...where, alerted: deviation.time, detail: deviation.detail, unsealed: leg.unsealedAt }));
      inspect = true;
    }
    yield { wait: ctx.hours(0, 2) };
  }

  let lots = [consignment.lot];
  if (warehouse !== null) {
    yield { actor: ctx.actorAt(warehouse), action: { type: "store", lot: consignment.lot, facility: warehouse } };
    if (inspect) yield* holdAndInspect(ctx, consignment.lot, warehouse);
    yield { wait: ctx.days(1, 8) };
    if (plant === undefined && random.chance(0.1)) {
      const first = (consignment.quantity * BigInt(random.int(30, 70))) / 100n;
      lots = [`${consignment.lot}-A`, `${consignment.lot}-B`];
      yield {
        actor: ctx.actorAt(warehouse),
        action: {
          type: "split",
          lot: consignment.lot,
          parts: [
            { lot: lots[0]!, quantity: first },
            { lot: lots[1]!, quantity: consignment.quantity - first },
          ],
        },
      };
    }
  } else if (inspect) {
    yield* holdAndInspect(ctx, consignment.lot, route.gate);
  }

  let permit: Hash | null = null;
  if (consignment.permitRequired) {
    const { issuer, regulation } = material.permit!;
    permit = anchored(
      yield anchorIntent(
        signerOf(issuer),
        inspectionPermit(ctx.cast, String(ctx.next("permit")).padStart(7, "0"), issuer, consignment, regulation, engine.time(engine.slot)),
        [consignment.lot],
      ),
    );
    yield { wait: ctx.hours(1, 6) };
  }

  let cleared = 0n;
  for (const lot of lots) {
    cleared = engine.time(engine.slot);
    yield { actor: officer, action: { type: "clear", lot, co, permit } };
    yield { wait: ctx.hours(1, 6) };
  }
  const released = engine.time(engine.slot);
  for (const lot of lots) yield { actor: ctx.releaser(ctx.engine.state.current(lot)!), action: { type: "release", lot } };
  if (plant === "RELEASED_NEVER_RECEIVED") {
    ctx.anomalies.push(releasedNeverReceived({ enterprise: owner, lot: consignment.lot, material: material.id, released, end: engine.options.end }));
    ctx.engine.state.forgetDocuments(documents);
    return;
  }
  yield { wait: ctx.hours(4, 40) };
  for (const lot of lots) {
    const event = yield { actor: operatorOf(owner), action: { type: "receive", lot, facility: enterprise.factory } };
    ctx.pool(owner, material.id).push(lot);
    ctx.addPending(owner, material.id, -receivedQuantity(event));
  }
  if (plant === "CO_REVOKED_AFTER_CLEARANCE" && co !== null) {
    ctx.engine.state.forgetDocuments(documents.filter((hash) => hash !== co));
    yield { wait: ctx.days(25, 40) };
    const issuer = route.co!.issuer;
    const revoked = engine.time(engine.slot);
    yield { actor: signerOf(issuer), action: { type: "revoke", hash: co, reason: CO_REVOCATION } };
    ctx.anomalies.push(coRevokedAfterClearance({ enterprise: owner, lot: consignment.lot, co, issuer, cleared, revoked, reason: CO_REVOCATION }));
  }
  ctx.engine.state.forgetDocuments(documents);
}

/** A red-channel physical inspection: customs holds the lot, records the inspection, lets it go. */
function* holdAndInspect(ctx: ScenarioContext, lot: Id, facility: Id): Flow {
  yield { wait: ctx.hours(1, 12) };
  yield { actor: officer, action: { type: "hold", lot, reason: "Luồng đỏ: kiểm tra thực tế hàng hóa (red channel: physical inspection)" } };
  yield* inspectHeld(ctx, lot, facility, "Hàng hóa phù hợp khai báo (goods match the declaration)");
  yield { actor: officer, action: { type: "unhold", lot } };
}

/** Customs inspects a held lot within a few days and records what it found. */
function* inspectHeld(ctx: ScenarioContext, lot: Id, facility: Id, finding: string): Flow {
  yield { wait: ctx.days(1, 3) };
  const record = customsInspection(ctx.cast, String(ctx.next("inspection")).padStart(7, "0"), lot, facility, finding, ctx.engine.time(ctx.engine.slot));
  const event = yield anchorIntent(customsSigner, record, [lot]);
  if (event?.type === "documentAnchored") ctx.engine.state.forgetDocuments([event.document.hash]);
}

function receivedQuantity(event: LedgerEvent | undefined): bigint {
  if (event?.type !== "custody") throw new Error("expected a custody event");
  return event.transitions.reduce((sum, { lot }: { lot: Lot }) => sum + lot.quantity, 0n);
}
