/**
 * The organisation and facility registry, administered by customs ADMINs. There are no member
 * records on Fabric: an organisation is registered with its MSP ID, and its members are whoever
 * that MSP's CA certifies, with the role their certificate carries.
 */
import {
  assertId,
  fail,
  FACILITY_KINDS,
  MAX_MSP_ID_LENGTH,
  ORG_KINDS,
  type Actor,
  type Facility,
  type FacilityKind,
  type Organisation,
  type OrgKind,
} from "../../domain/index.js";
import type { WorldState } from "./world-state.js";

const MSP_ID = new RegExp(`^[\\x21-\\x7e]{1,${MAX_MSP_ID_LENGTH}}$`);

/** Customs' first organisation, registered once, by an ADMIN, for the caller's own MSP. */
export async function initialiseRegistry(state: WorldState, caller: Actor, customsId: string, callerMspId: string): Promise<Organisation> {
  if (await state.isRegistryInitialised()) fail("NOT_AUTHORIZED", "the registry is already initialised; customs ADMINs register organisations");
  if (caller.role !== "ADMIN") fail("NOT_AUTHORIZED", `only an ADMIN initialises the registry, not a ${caller.role}`);
  const customs = await registerOrganisation(state, customsId, "CUSTOMS", callerMspId);
  await state.markRegistryInitialised();
  return customs;
}

export async function requireRegistrar(state: WorldState, caller: Actor): Promise<void> {
  const organisation = await state.organisation(caller.org);
  if (organisation?.kind !== "CUSTOMS" || caller.role !== "ADMIN") {
    fail("NOT_AUTHORIZED", `only a customs ADMIN administers the registry, not ${caller.role} of ${caller.org || "an unregistered MSP"}`);
  }
}

export async function registerOrganisation(state: WorldState, id: string, kind: string, mspId: string): Promise<Organisation> {
  assertId(id, "id");
  const orgKind = requireOneOf(ORG_KINDS, kind, "kind");
  if (!MSP_ID.test(mspId)) fail("INVALID_ARGUMENT", `mspId must be 1 to ${MAX_MSP_ID_LENGTH} printable ASCII characters`, { field: "mspId" });
  if ((await state.organisation(id)) !== undefined) fail("ALREADY_REGISTERED", `organisation ${id} is registered already`, { field: "id" });
  const holder = await state.organisationOfMsp(mspId);
  if (holder !== undefined) fail("ALREADY_REGISTERED", `MSP ${mspId} is registered already, as organisation ${holder}`, { field: "mspId" });
  const organisation = { id, kind: orgKind };
  await state.writeOrganisation(organisation, mspId);
  return organisation;
}

export async function registerFacility(state: WorldState, id: string, kind: string, operator: string): Promise<Facility> {
  assertId(id, "id");
  const facilityKind: FacilityKind = requireOneOf(FACILITY_KINDS, kind, "kind");
  assertId(operator, "operator");
  // The id's uniqueness before the operator, in the domain's order (domain/memory-ledger.ts).
  if ((await state.facility(id)) !== undefined) fail("ALREADY_REGISTERED", `facility ${id} is registered already`, { field: "id" });
  if ((await state.organisation(operator)) === undefined)
    fail("UNKNOWN_ORGANISATION", `facility operator ${operator} is not registered`, { field: "operator" });
  const facility = { id, kind: facilityKind, operator };
  await state.writeFacility(facility);
  return facility;
}

function requireOneOf<T extends OrgKind | FacilityKind>(values: readonly T[], value: string, field: string): T {
  const found = values.find((candidate) => candidate === value);
  if (found === undefined) fail("INVALID_ARGUMENT", `${field} must be one of ${values.join(", ")}`, { field });
  return found;
}
