/**
 * Loads the conformance vectors (test/vectors/*.json) and their setups (test/vectors/setups/*.json),
 * checks their format and resolves them into domain values. A malformed vector fails the load with a
 * message naming its file, the vector and the path inside it.
 *
 * Time: setup action k of n happens at START_TIME − 10·(n − k); steps follow START_TIME, each `advance`
 * seconds (default 10) after the one before.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CUSTODY_ACTIONS,
  ROLES,
  ROLES_BY_ORG_KIND,
  type Action,
  type Actor,
  type CustodyAction,
  type Facility,
  type Hash,
  type Id,
  type LedgerTime,
  type MaterialBalance,
  type Organisation,
  type Period,
} from "../../domain/index.js";
import { anything, array, at, mismatch, object, positiveInteger, ShapeError, string, type Shape } from "../../domain/json-shapes.js";
import { actionDecoder, lotsNamedBy } from "./vector-actions.js";
import {
  balanceExpectation,
  batchExpectationDecoder,
  expectationDecoder,
  type BatchExpectation,
  type BatchMember,
  type Expectation,
} from "./vector-expectations.js";
import { extendSetup, hashNames, resolveSetup, setupActions, setupSpec, type Setup, type SetupSpec } from "./vector-setup.js";

export const START_TIME: LedgerTime = 1_800_000_000n;
const SETUP_INTERVAL = 10n;
const DEFAULT_ADVANCE = 10;

export const VECTORS_DIRECTORY = fileURLToPath(new URL("../vectors/", import.meta.url));

export interface Submission {
  actor: Actor;
  action: Action;
  time: LedgerTime;
}

export interface ActionStep extends Submission {
  expect: Expectation;
}

/** A step that submits several custody actions as one atomic batch (one transaction). */
export interface BatchStep {
  actor: Actor;
  batch: CustodyAction[];
  time: LedgerTime;
  expect: BatchExpectation;
}

export type Step = ActionStep | BatchStep;

export interface BalanceCheck {
  enterprise: Id;
  material: Id;
  period: Period;
  expect: Partial<Omit<MaterialBalance, "enterprise" | "material">>;
}

export interface Vector {
  name: string;
  file: string;
  organisations: Organisation[];
  facilities: Facility[];
  /** Setup documents, batches and norms, as submissions before START_TIME. */
  setup: Submission[];
  steps: Step[];
  balances: BalanceCheck[];
  /** Everything a refused step must leave unchanged. */
  known: { lots: Id[]; documents: Hash[]; batchMembers: BatchMember[] };
  /** `@name` / `#name` of each setup hash, for failure messages. */
  names: ReadonlyMap<string, string>;
}

const vectorShape = object({ name: string, setup: string, steps: array(anything, 1) }, { extend: anything, balances: array(anything) });
const stepShape = object({ actor: string, expect: anything }, { action: anything, batch: array(anything, 1), advance: positiveInteger });

function actorDecoder(setup: Setup): Shape<Actor> {
  return (value, path) => {
    const [org, role, ...rest] = string(value, path).split("/");
    const found = ROLES.find((candidate) => candidate === role);
    if (org === undefined || org === "" || found === undefined || rest.length > 0) {
      return mismatch(`"ORG/ROLE" with a role among ${ROLES.join(", ")}`, value, path);
    }
    const kind = setup.organisations.find((organisation) => organisation.id === org)?.kind;
    if (kind !== undefined && !ROLES_BY_ORG_KIND[kind].includes(found)) {
      return mismatch(`a role a ${kind} organisation has (${ROLES_BY_ORG_KIND[kind].join(", ")})`, value, path);
    }
    return { org, role: found };
  };
}

function decodeVector(raw: unknown, file: string, setups: ReadonlyMap<string, SetupSpec>): Vector {
  const vector = vectorShape(raw, "");
  const base = setups.get(vector.setup) ?? mismatch(`one of the setups ${[...setups.keys()].join(", ")}`, vector.setup, "setup");
  const extension = vector.extend === undefined ? {} : setupSpec(vector.extend, "extend");
  const setup = resolveSetup(extendSetup(base, extension), "setup");
  const actor = actorDecoder(setup);
  const action = actionDecoder(setup);

  const preparation = setupActions(setup);
  let time = START_TIME;
  const batchExpectation = batchExpectationDecoder(setup);
  const steps = vector.steps.map((rawStep, index): Step => {
    const path = at("steps", index);
    const step = stepShape(rawStep, path);
    time += BigInt(step.advance ?? DEFAULT_ADVANCE);
    const who = actor(step.actor, at(path, "actor"));
    if ((step.action === undefined) === (step.batch === undefined)) mismatch("either an action or a batch", rawStep, path);
    if (step.batch !== undefined) {
      const batch = step.batch.map((raw, member) => custodyAction(action(raw, at(at(path, "batch"), member)), at(at(path, "batch"), member)));
      return { actor: who, batch, time, expect: batchExpectation(step.expect, at(path, "expect")) };
    }
    const decoded = action(step.action, at(path, "action"));
    return { actor: who, action: decoded, time, expect: expectationDecoder(setup, decoded.type)(step.expect, at(path, "expect")) };
  });

  const balances = (vector.balances ?? []).map((rawBalance, index): BalanceCheck => {
    const { period, ...balance } = balanceExpectation(rawBalance, at("balances", index));
    if (period !== undefined && period.from >= period.to) mismatch("a period whose from is before its to", period, at(at("balances", index), "period"));
    const allTime = { from: 0n, to: time + 1n };
    return { ...balance, period: period === undefined ? allTime : { from: START_TIME + BigInt(period.from), to: START_TIME + BigInt(period.to) } };
  });

  return {
    name: vector.name,
    file,
    organisations: setup.organisations,
    facilities: setup.facilities,
    setup: preparation.map((submission, index) => ({ ...submission, time: START_TIME - SETUP_INTERVAL * BigInt(preparation.length - index) })),
    steps,
    balances,
    known: knownRecords(setup, steps),
    names: hashNames(setup),
  };
}

function custodyAction(action: Action, path: string): CustodyAction {
  return (CUSTODY_ACTIONS as readonly string[]).includes(action.type) ? (action as CustodyAction) : mismatch("a custody action", action.type, at(path, "type"));
}

/** Every lot the vector names (actions, `lots` expectations, document subjects), document and batch member. */
function knownRecords(setup: Setup, steps: readonly Step[]): Vector["known"] {
  const documents = [...setup.documents.values()];
  const lots = new Set<Id>(documents.flatMap((document) => document.subjects));
  for (const step of steps) {
    for (const action of "batch" in step ? step.batch : [step.action]) for (const lot of lotsNamedBy(action)) lots.add(lot);
    if ("ok" in step.expect) for (const lot of Object.keys(step.expect.lots ?? {})) lots.add(lot);
  }
  const hashOf = (name: string) => setup.documents.get(name)!.hash;
  return {
    lots: [...lots],
    documents: documents.map((document) => document.hash),
    batchMembers: [...setup.batches.values()].flatMap((batch) => batch.documents.map((name) => ({ root: batch.root, leaf: hashOf(name) }))),
  };
}

function describeShapeError<T>(where: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof ShapeError) throw new Error(`${where}: ${error.where}`, { cause: error });
    throw error;
  }
}

/** Decodes one vector file's contents (an array of vectors) against the given setups. */
export function decodeVectorFile(file: string, contents: unknown, setups: ReadonlyMap<string, SetupSpec>): Vector[] {
  if (!Array.isArray(contents)) throw new Error(`${file}: expected an array of vectors`);
  return contents.map((raw, index) => {
    const name = (raw as { name?: unknown } | null)?.name;
    return describeShapeError(`${file}: vector ${index} ${JSON.stringify(name ?? "(unnamed)")}`, () => decodeVector(raw, file, setups));
  });
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
}

function jsonFiles(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith(".json"))
    .sort();
}

export function loadSetups(directory = join(VECTORS_DIRECTORY, "setups")): Map<string, SetupSpec> {
  return new Map(
    jsonFiles(directory).map((file) => {
      const name = file.replace(/\.json$/, "");
      return [name, describeShapeError(`setups/${file}`, () => setupSpec(readJson(join(directory, file)), ""))];
    }),
  );
}

export function loadVectors(directory = VECTORS_DIRECTORY): Vector[] {
  const setups = loadSetups(join(directory, "setups"));
  const vectors = jsonFiles(directory).flatMap((file) => decodeVectorFile(file, readJson(join(directory, file)), setups));
  const seen = new Map<string, string>();
  for (const vector of vectors) {
    const other = seen.get(vector.name);
    if (other !== undefined) throw new Error(`${vector.file}: vector name ${JSON.stringify(vector.name)} is already used in ${other}`);
    seen.set(vector.name, vector.file);
  }
  return vectors;
}

/** The vector named `name`, whose steps are single actions (tests that replay a vector's steps by hand). */
export function actionVector(name: string): Omit<Vector, "steps"> & { steps: ActionStep[] } {
  const vector = loadVectors().find((candidate) => candidate.name === name);
  if (vector === undefined) throw new Error(`no vector is named ${JSON.stringify(name)}`);
  if (vector.steps.some((step) => "batch" in step)) throw new Error(`vector ${JSON.stringify(name)} has a batch step`);
  return vector as Omit<Vector, "steps"> & { steps: ActionStep[] };
}
