// Filters as choices: the values the API says the caller may filter by fill each <select>, after its
// "any"; a form with a "quarter" select offers the quarters of the ledger's years, filling from and to.
import { gql } from "./api.js";
import { element, h } from "./dom.js";

/**
 * Fills `form`'s selects named in `fields` (select name → filterChoices field), and its quarters.
 * @param {HTMLFormElement} form
 * @param {Record<string, string>} fields
 */
export async function fillChoices(form, fields) {
  const quarter = form.querySelector("select[name=quarter]");
  const wanted = new Set([...Object.values(fields), ...(quarter ? ["years"] : [])]);
  const { filterChoices } = await gql(`{ filterChoices { ${[...wanted].join(" ")} } }`);
  for (const [name, field] of Object.entries(fields)) {
    const select = element(`select[name=${name}]`, HTMLSelectElement, form);
    const chosen = select.value;
    const any = [...select.options].filter((option) => option.value === "");
    select.replaceChildren(...any, ...filterChoices[field].map((/** @type {string} */ value) => h("option", { value, selected: value === chosen }, value)));
  }
  if (quarter instanceof HTMLSelectElement) offerQuarters(form, quarter, filterChoices.years);
}

/** @type {(year: number, index: number) => string} */
const month = (year, index) => `${year + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;

/**
 * @param {HTMLFormElement} form
 * @param {HTMLSelectElement} select
 * @param {number[]} years
 */
function offerQuarters(form, select, years) {
  select.append(
    ...years.flatMap((year) => [0, 1, 2, 3].map((q) => h("option", { value: `${month(year, q * 3)}/${month(year, q * 3 + 3)}` }, `${year} Q${q + 1}`))),
  );
  const from = element("input[name=from]", HTMLInputElement, form);
  const to = element("input[name=to]", HTMLInputElement, form);
  select.addEventListener("change", () => {
    if (select.value === "") return;
    [from.value, to.value] = select.value.split("/");
  });
}
