/**
 * Applies one conformance vector to any ledger through the ConformanceLedger interface. Expectations
 * come from the vector alone; the only domain function used is `materialBalance`, the agreed fold
 * of the events a ledger returned.
 */
import { BatchRefusedError, materialBalance, TraceGateError, type Hash, type Id, type LedgerEvent } from "../../domain/index.js";
import { bigintsAsDecimals } from "../../domain/json-shapes.js";
import type { ConformanceLedger } from "../../scripts/harness/conformance-ledger.js";
import { differences, type Difference } from "./partial-match.js";
import type { Accepted, BatchMember } from "./vector-expectations.js";
import type { ActionStep, BatchStep, Vector } from "./vectors.js";

export class ConformanceFailure extends Error {
  override name = "ConformanceFailure";
}

export async function runVector(vector: Vector, ledger: ConformanceLedger): Promise<void> {
  const report = reporter(vector.names);
  const events: LedgerEvent[] = [];
  await ledger.register(vector.organisations, vector.facilities);
  for (const [index, { actor, action, time }] of vector.setup.entries()) {
    try {
      events.push(await ledger.submit(actor, action, time));
    } catch (error) {
      throw new ConformanceFailure(`${vector.name}: setup[${index}] ${action.type} by ${actor.org}/${actor.role} was refused: ${describeError(error)}`);
    }
  }
  for (const [index, step] of vector.steps.entries()) {
    const what = "batch" in step ? `batch of ${step.batch.length}` : step.action.type;
    const where = `${vector.name}: steps[${index}] ${what} by ${step.actor.org}/${step.actor.role}`;
    events.push(...("batch" in step ? await runBatchStep(vector, step, ledger, where, report) : await runStep(vector, step, ledger, where, report)));
  }
  const found = vector.balances.flatMap(({ enterprise, material, period, expect }) =>
    differences(expect, materialBalance(events, enterprise, material, period), `balance ${enterprise}/${material}`),
  );
  if (found.length > 0) throw new ConformanceFailure(`${vector.name}: after the last step\n${report.list(found)}`);
}

async function runStep(vector: Vector, step: ActionStep, ledger: ConformanceLedger, where: string, report: Reporter): Promise<LedgerEvent[]> {
  const before = await snapshot(ledger, vector);
  let event: LedgerEvent;
  try {
    event = await ledger.submit(step.actor, step.action, step.time);
  } catch (error) {
    if (!("error" in step.expect)) throw new ConformanceFailure(`${where}: expected it to be accepted, got ${describeError(error)}`);
    if (!(error instanceof TraceGateError) || error.code !== step.expect.error) {
      throw new ConformanceFailure(`${where}: expected error ${step.expect.error}, got ${describeError(error)}`);
    }
    const changed = differences(before, await snapshot(ledger, vector), "ledger");
    if (changed.length > 0) throw new ConformanceFailure(`${where}: refused with ${error.code} but changed the ledger\n${report.list(changed)}`);
    return [];
  }
  if ("error" in step.expect) {
    throw new ConformanceFailure(`${where}: expected error ${step.expect.error}, but it was accepted with event ${report.json(event)}`);
  }
  const found = await acceptedDifferences(step.expect, event, ledger, vector);
  if (found.length > 0) throw new ConformanceFailure(`${where}: accepted, but\n${report.list(found)}`);
  return [event];
}

/** A batch step: every action's event in order, or a refusal at the expected index that changed nothing. */
async function runBatchStep(vector: Vector, step: BatchStep, ledger: ConformanceLedger, where: string, report: Reporter): Promise<LedgerEvent[]> {
  const before = await snapshot(ledger, vector);
  let events: LedgerEvent[];
  try {
    events = await ledger.submitBatch(step.actor, step.batch, step.time);
  } catch (error) {
    const { expect } = step;
    if (!("error" in expect)) throw new ConformanceFailure(`${where}: expected it to be accepted, got ${describeError(error)}`);
    if (!(error instanceof BatchRefusedError) || error.code !== expect.error || error.index !== expect.index) {
      throw new ConformanceFailure(`${where}: expected error ${expect.error} at action ${expect.index}, got ${describeError(error)}`);
    }
    const changed = differences(before, await snapshot(ledger, vector), "ledger");
    if (changed.length > 0) throw new ConformanceFailure(`${where}: refused with ${error.code} but changed the ledger\n${report.list(changed)}`);
    return [];
  }
  if ("error" in step.expect) {
    throw new ConformanceFailure(
      `${where}: expected error ${step.expect.error} at action ${step.expect.index}, but it was accepted with events ${report.json(events)}`,
    );
  }
  const found: Difference[] = [];
  for (const [id, lot] of Object.entries(step.expect.lots ?? {})) found.push(...differences(lot, await ledger.lot(id), `lots.${id}`));
  found.push(...differences(step.expect.events ?? step.batch.map(() => ({})), events, "events"));
  if (found.length > 0) throw new ConformanceFailure(`${where}: accepted, but\n${report.list(found)}`);
  return events;
}

async function acceptedDifferences(expect: Accepted, event: LedgerEvent, ledger: ConformanceLedger, vector: Vector): Promise<Difference[]> {
  const found: Difference[] = [];
  for (const [id, lot] of Object.entries(expect.lots ?? {})) found.push(...differences(lot, await ledger.lot(id), `lots.${id}`));
  for (const [hash, document] of Object.entries(expect.documents ?? {})) {
    found.push(...differences(document, await ledger.document(hash as Hash), `documents.${vector.names.get(hash) ?? hash}`));
  }
  if (expect.event !== undefined) found.push(...differences(expect.event, event, "event"));
  if (expect.revokedBatchMembers !== undefined) found.push(...(await revocationDifferences(expect.revokedBatchMembers, ledger, vector)));
  return found;
}

/** The listed batch members must be revoked, and every other member of the setup's batches not. */
async function revocationDifferences(listed: readonly BatchMember[], ledger: ConformanceLedger, { known, names }: Vector): Promise<Difference[]> {
  const found: Difference[] = [];
  const unlisted = known.batchMembers.filter((member) => !listed.some((other) => same(member, other)));
  for (const [members, expected] of [
    [listed, "revoked"],
    [unlisted, "not revoked"],
  ] as const) {
    for (const { root, leaf } of members) {
      const actual = (await ledger.isBatchMemberRevoked(root, leaf)) ? "revoked" : "not revoked";
      if (actual !== expected) found.push({ path: `revokedBatchMembers ${names.get(root) ?? root} ${names.get(leaf) ?? leaf}`, expected, actual });
    }
  }
  return found;
}

function same(a: BatchMember, b: BatchMember): boolean {
  return a.root === b.root && a.leaf === b.leaf;
}

/** Every lot, document and batch member a vector knows about, as the ledger holds them now. */
async function snapshot(ledger: ConformanceLedger, { known, names }: Vector) {
  const name = (hash: Hash) => names.get(hash) ?? hash;
  const lots: Record<Id, unknown> = {};
  for (const id of known.lots) lots[id] = await ledger.lot(id);
  const documents: Record<string, unknown> = {};
  for (const hash of known.documents) documents[name(hash)] = await ledger.document(hash);
  const revokedBatchMembers: Record<string, boolean> = {};
  for (const { root, leaf } of known.batchMembers) revokedBatchMembers[`${name(root)} ${name(leaf)}`] = await ledger.isBatchMemberRevoked(root, leaf);
  return { lots, documents, revokedBatchMembers };
}

function describeError(error: unknown): string {
  if (error instanceof BatchRefusedError) return `error ${error.code} at action ${error.index} (${error.message})`;
  if (error instanceof TraceGateError) return `error ${error.code} (${error.message})`;
  return `a non-TraceGate error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

interface Reporter {
  json(value: unknown): string;
  list(found: readonly Difference[]): string;
}

/** Failure text: JSON with bigints as digits and setup hashes as their `@name` / `#name`. */
function reporter(names: ReadonlyMap<string, string>): Reporter {
  const json = (value: unknown): string =>
    value === undefined
      ? "nothing"
      : JSON.stringify(value, (key, item: unknown) => (typeof item === "string" ? (names.get(item) ?? item) : bigintsAsDecimals(key, item)));
  return {
    json,
    list: (found) => found.map(({ path, expected, actual }) => `  ${path}: expected ${json(expected)}, got ${json(actual)}`).join("\n"),
  };
}
