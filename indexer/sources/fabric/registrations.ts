/**
 * Registrations on Fabric. The chaincode's registry transactions (InitLedger, RegisterOrganisation,
 * RegisterFacility) set no chaincode event; each returns the organisation or facility it registered,
 * and a valid transaction's response is endorsed and committed with it, so the indexer reads the
 * registration from there. There are no member records on Fabric (members are whoever an
 * organisation's MSP certifies), hence no memberRegistered, and a member leaves by its organisation
 * revoking its certificate (the MSP's revocation list in the channel configuration), not by a transaction.
 */
import type { ChaincodeTransaction } from "../../../sdk/fabric/channel-blocks.js";
import { decodeJson, facilityShape, organisationShape } from "../../../chaincode/src/codec.js";
import { tracegateFunction } from "../../../sdk/fabric/contract-name.js";
import type { RegistrationEvent } from "../../events.js";

/** The registration a valid transaction without an event made, or undefined when it made none. */
export function registrationOf({ function: invoked, result, time }: ChaincodeTransaction): RegistrationEvent | undefined {
  switch (tracegateFunction(invoked)) {
    case "InitLedger":
    case "RegisterOrganisation": {
      const { id, kind } = decodeJson(organisationShape, result);
      return { type: "organisationRegistered", id, kind, time };
    }
    case "RegisterFacility": {
      const { id, kind, operator } = decodeJson(facilityShape, result);
      return { type: "facilityRegistered", id, kind, operator, time };
    }
    default:
      return undefined;
  }
}
