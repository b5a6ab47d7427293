/** `filterChoices`: what the pages offer in their filters, so a filter is a choice, never free text. */
import { eventYears, lotColumnValues } from "../read/choices.js";
import { visibleFacilities, visibleKinds, visibleStates } from "../read/epcis-vocabulary.js";
import { builder } from "./builder.js";

const FilterChoicesRef = builder.objectRef<Record<string, never>>("FilterChoices").implement({
  description: "Values the caller's filters may take: lots' and events' values limited to what the caller may see.",
  fields: (t) => ({
    states: t.stringList({ description: "Lot states its lots have been in.", resolve: (_choices, _args, { db, viewer }) => visibleStates(db, viewer!) }),
    kinds: t.stringList({ description: "Custody actions of the events it may see.", resolve: (_choices, _args, { db, viewer }) => visibleKinds(db, viewer!) }),
    facilities: t.stringList({
      description: "Facilities of the custody events it may see.",
      resolve: (_choices, _args, { db, viewer }) => visibleFacilities(db, viewer!),
    }),
    enterprises: t.stringList({
      description: "Owners of the lots it may see.",
      resolve: (_choices, _args, { db, viewer }) => lotColumnValues(db, viewer!, "owner"),
    }),
    materials: t.stringList({
      description: "Materials of the lots it may see.",
      resolve: (_choices, _args, { db, viewer }) => lotColumnValues(db, viewer!, "material"),
    }),
    years: t.intList({
      description: "UTC years from the ledger's first event to its last: the periods (quarters) offered.",
      resolve: (_choices, _args, { db }) => eventYears(db),
    }),
  }),
});

builder.queryField("filterChoices", (t) => t.field({ type: FilterChoicesRef, authScopes: { authenticated: true }, resolve: () => ({}) }));
