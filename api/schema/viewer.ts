/** `viewer`: who the API takes the caller to be, and so what it will see. */
import type { Viewer } from "../auth/viewer.js";
import { builder } from "./builder.js";
import { OrgKindEnum } from "./scalars.js";

const ViewerRef = builder.objectRef<Viewer>("Viewer").implement({
  fields: (t) => ({
    org: t.exposeString("org"),
    kind: t.field({ type: OrgKindEnum, resolve: (viewer) => viewer.kind }),
    role: t.exposeString("role"),
    audience: t.field({
      type: builder.enumType("Audience", {
        values: {
          auditor: { description: "Customs auditors and officers: everything" },
          enterprise: { description: "Its own lots, documents and balances" },
          warehouse: { description: "The lots in its custody" },
          issuer: { description: "Verifies any document; sees what it issued" },
        },
      }),
      resolve: (viewer) => viewer.audience,
    }),
  }),
});

builder.queryField("viewer", (t) => t.field({ type: ViewerRef, authScopes: { authenticated: true }, resolve: (_root, _args, { viewer }) => viewer! }));
