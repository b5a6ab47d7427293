/** The demo network's actors, and the actions the ledger tests send, whichever the ledger. */
import { documentHash, type Action, type Actor, type DocumentKind } from "../../domain/index.js";

export const CUSTOMS: Actor = { org: "VNCUSTOMS", role: "OFFICER" };
export const ANPHAT: Actor = { org: "AN-PHAT", role: "OPERATOR" };
export const ANPHAT_SIGNER: Actor = { org: "AN-PHAT", role: "SIGNER" };
export const VCCI: Actor = { org: "VCCI-HCM", role: "SIGNER" };

export const CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

export function anchorAction(name: string, kind: DocumentKind, subjects: string[] = []): Action {
  return { type: "anchor", hash: documentHash(name), id: name.toUpperCase().slice(0, 31), kind, cid: CID, subjects };
}

export function declareAction(lot: string, declaration: string): Action {
  return {
    type: "declare",
    lot,
    goods: { material: "FAB-COT", hsCode: "52085200", unit: "MTR", quantity: 1000n },
    direction: "IMPORT",
    preferenceClaimed: false,
    permitRequired: false,
    declaration: documentHash(declaration),
  };
}
