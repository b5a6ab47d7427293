/** The demo network's organisations and facilities, registered the same way on either ledger. */
import type { Facility, Organisation } from "../domain/index.js";

export const DEMO_ORGANISATIONS: readonly Organisation[] = [
  { id: "VNCUSTOMS", kind: "CUSTOMS" },
  { id: "AN-PHAT", kind: "ENTERPRISE" },
  { id: "SAIGON-TERMINAL", kind: "WAREHOUSE" },
  { id: "VCCI-HCM", kind: "ISSUER" },
];

export const DEMO_FACILITIES: readonly Facility[] = [
  { id: "VNSGN-CATLAI", kind: "BORDER_GATE", operator: "VNCUSTOMS" },
  { id: "VNSGN-BONDED-1", kind: "WAREHOUSE", operator: "SAIGON-TERMINAL" },
  { id: "VNBNH-ANPHAT-F1", kind: "FACTORY", operator: "AN-PHAT" },
];
