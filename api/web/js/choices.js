// Filters as choices: the values the API says the caller may filter by fill each <select>, after its
// "any"; a form with a "quarter" select offers the quarters of the ledger's years, filling from and to.
import { gql } from "./api.js";
import { h } from "./dom.js";

/** Fills `form`'s selects named in `fields` (select name → filterChoices field), and its quarters. */
export async function fillChoices(form, fields) {
  const quarter = form.querySelector("select[name=quarter]");
  const wanted = new Set([...Object.values(fields), ...(quarter ? ["years"] : [])]);
  const { filterChoices } = await gql(`{ filterChoices { ${[...wanted].join(" ")} } }`);
  for (const [name, field] of Object.entries(fields)) {
    const select = form.querySelector(`select[name=${name}]`);
    const chosen = select.value;
    const any = [...select.options].filter((option) => option.value === "");
    select.replaceChildren(...any, ...filterChoices[field].map((value) => h("option", { value, selected: value === chosen }, value)));
  }
  if (quarter) offerQuarters(form, quarter, filterChoices.years);
}

const month = (year, index) => `${year + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;

function offerQuarters(form, select, years) {
  select.append(...years.flatMap((year) => [0, 1, 2, 3].map((q) => h("option", { value: `${month(year, q * 3)}/${month(year, q * 3 + 3)}` }, `${year} Q${q + 1}`))));
  select.addEventListener("change", () => {
    if (select.value === "") return;
    [form.elements.from.value, form.elements.to.value] = select.value.split("/");
  });
}
