/**
 * Who is calling, as Fabric established it: the MSP that vouched for the certificate names the
 * organisation (through the registry's MSP mapping), the certificate's `role` attribute (issued by the
 * organisation's Fabric CA) names the role.
 */
import type { Context } from "fabric-contract-api";
import { fail, ROLES, type Actor, type Role } from "../../domain/index.js";
import type { WorldState } from "./world-state.js";

export const ROLE_ATTRIBUTE = "role";

/**
 * The caller as an actor. An MSP that no registered organisation uses gives an actor of no
 * organisation ("": no registered id is empty), whom the rules treat as an outsider, as they treat a
 * role its organisation's kind may not hold. A certificate without a TraceGate role is refused.
 */
export async function callerOf(identity: Context["clientIdentity"], state: WorldState): Promise<Actor> {
  const role = identity.getAttributeValue(ROLE_ATTRIBUTE);
  if (role === null || !(ROLES as readonly string[]).includes(role)) {
    fail("NOT_AUTHORIZED", `the certificate's ${ROLE_ATTRIBUTE} attribute (${role ?? "none"}) is not one of ${ROLES.join(", ")}`);
  }
  return { org: (await state.organisationOfMsp(identity.getMSPID())) ?? "", role: role as Role };
}
