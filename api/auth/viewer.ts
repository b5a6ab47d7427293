/**
 * Who is asking, as the API established it (a verified token, checked against the registry): an
 * organisation, its kind, the member's role, and from those the audience that decides what it sees.
 *
 *   auditor    — customs auditors and officers: everything.
 *   enterprise — its own lots (it owns them), their documents, its balances, what it issued or did.
 *   warehouse  — the lots in its custody now and those under seal for a facility it operates (coming
 *                to it), their documents, what it issued or did, dwell times at its facilities.
 *   issuer     — issuers, and customs members who sign rather than audit: verifies any document
 *                (the verdict only) and sees what it issued or did.
 */
import type { Id, Lot, OrgKind, Role } from "../../domain/index.js";

export type Audience = "auditor" | "enterprise" | "warehouse" | "issuer";

export class Viewer {
  readonly audience: Audience;
  /**
   * The facilities its organisation operates, as the index has them when the request began
   * (request-caller.ts; a subscription reloads them per event): a warehouse sees the lots sealed for them.
   */
  facilities: ReadonlySet<Id> = new Set();

  constructor(
    readonly org: Id,
    readonly kind: OrgKind,
    readonly role: Role,
    /** The member's own id from the token (for logs). */
    readonly subject: string,
    /** When the token stops being accepted (seconds since the epoch): a subscription ends then. */
    readonly expires: number,
  ) {
    this.audience = audienceOf(kind, role);
  }

  get isAuditor(): boolean {
    return this.audience === "auditor";
  }

  /** The per-lot rule; read/lots.ts `visibleLots` is the same in SQL. */
  canSeeLot(lot: Pick<Lot, "owner" | "custodian" | "seal" | "destination">): boolean {
    switch (this.audience) {
      case "auditor":
        return true;
      case "enterprise":
        return lot.owner === this.org;
      case "warehouse":
        return lot.custodian === this.org || (lot.seal !== "" && this.facilities.has(lot.destination));
      case "issuer":
        return false;
    }
  }

  /** An enterprise's balances and reconciliations: its own, or any for customs. */
  canSeeEnterprise(enterprise: Id): boolean {
    return this.isAuditor || (this.audience === "enterprise" && enterprise === this.org);
  }
}

function audienceOf(kind: OrgKind, role: Role): Audience {
  switch (kind) {
    case "CUSTOMS":
      return role === "AUDITOR" || role === "OFFICER" ? "auditor" : "issuer";
    case "ENTERPRISE":
      return "enterprise";
    case "WAREHOUSE":
      return "warehouse";
    case "ISSUER":
      return "issuer";
  }
}
