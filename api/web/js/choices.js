// Filters as choices: the values the API says the caller may filter by fill each <select>, after its "any".
import { gql } from "./api.js";
import { h } from "./dom.js";

/** Fills `form`'s selects named in `fields` (select name → filterChoices field) and returns the choices. */
export async function fillChoices(form, fields) {
  const { filterChoices } = await gql(`{ filterChoices { ${[...new Set(Object.values(fields))].join(" ")} } }`);
  for (const [name, field] of Object.entries(fields)) {
    const select = form.querySelector(`select[name=${name}]`);
    const chosen = select.value;
    const any = [...select.options].filter((option) => option.value === "");
    select.replaceChildren(...any, ...filterChoices[field].map((value) => h("option", { value, selected: value === chosen }, value)));
  }
  return filterChoices;
}
