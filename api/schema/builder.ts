/**
 * The Pothos schema builder: scope-auth decides who sees what (root fields need a verified caller;
 * lots, documents and events check the caller against each object they are about to show), relay
 * gives cursor connections. Fields are non-null unless they say otherwise.
 */
import SchemaBuilder from "@pothos/core";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import type { ApiContext } from "../context.js";
import type { UploadedFile } from "./scalars.js";
import { apiError } from "../errors.js";

export const builder = new SchemaBuilder<{
  Context: ApiContext;
  AuthScopes: { authenticated: boolean; auditor: boolean };
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: bigint; Output: bigint };
    Quantity: { Input: bigint; Output: bigint };
    JSON: { Input: unknown; Output: unknown };
    File: { Input: UploadedFile; Output: never };
  };
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (context) => ({ authenticated: context.viewer !== null, auditor: context.viewer?.isAuditor ?? false }),
    // Object-level checks run once per object (as its type is resolved), not once per field.
    runScopesOnType: true,
    authorizeOnSubscribe: true,
    unauthorizedError: (_parent, context) =>
      context.viewer === null
        ? apiError("UNAUTHENTICATED", "send a bearer token: every query needs a verified organisation")
        : apiError("FORBIDDEN", `${context.viewer.org} (${context.viewer.role}) may not see this`),
  },
  relay: {
    // No global node lookups: every object is reached through a field that checks who asks.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    cursorType: "String",
  },
});
