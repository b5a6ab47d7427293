// The lot page's Actions panel: exactly the custody actions the API offers this caller on this lot now
// (Lot.availableActions), each with a small form, a confirm step, and the outcome in plain words.
import { ApiError, errorCode, gql, UNREACHABLE } from "./api.js";
import { explain, formatTime, h, messageOf, shortHash } from "./dom.js";

/** Each action in plain words: its button, and what it does to the lot. */
const ACTIONS = {
  declare: ["Declare", "declare the lot's goods to customs"],
  arrive: ["Record arrival", "the lot arrives at a border gate"],
  store: ["Store", "the lot goes into a warehouse, in its operator's custody"],
  hold: ["Hold", "stop the lot where it is until the hold is lifted"],
  unhold: ["Lift the hold", "the lot returns to the state it was held in"],
  clear: ["Clear", "customs clearance of the lot"],
  release: ["Release", "the cleared import goes to its owner"],
  depart: ["Record departure", "the cleared export leaves the country"],
  receive: ["Receive into production", "the owner takes the lot into its own factory"],
  transform: ["Transform", "make a product from this lot under your registered norm"],
  split: ["Split", "divide the lot into new lots that add up to it"],
  destroy: ["Record destruction", "the goods are destroyed under customs control"],
  seal: ["Seal for transit", "customs seals the lot for transit to a warehouse, to arrive by a deadline"],
  unseal: ["Unseal", "check the seal at the destination: the lot arrives there, or is held if the seal is broken or the deadline passed"],
  alert: ["Record a seal alert", "record what the lot's electronic seal reported on the way"],
};

/** The mutation's input type for each action (api/schema/actions.ts). */
const INPUT_TYPES = {
  declare: "DeclareInput",
  arrive: "FacilityActionInput",
  store: "FacilityActionInput",
  receive: "FacilityActionInput",
  hold: "ReasonActionInput",
  destroy: "ReasonActionInput",
  unhold: "LotActionInput",
  release: "LotActionInput",
  depart: "LotActionInput",
  clear: "ClearInput",
  split: "SplitInput",
  transform: "TransformInput",
  seal: "SealInput",
  unseal: "UnsealInput",
  alert: "AlertInput",
};

const DOCUMENT_NAMES = { DECLARATION: "Declaration", CO: "Certificate of origin", PERMIT: "Permit", TRANSIT: "Transit declaration" };
/** The input field that carries each kind of document. */
const DOCUMENT_FIELDS = { DECLARATION: "declaration", CO: "co", PERMIT: "permit", TRANSIT: "transit" };

/** What an electronic seal reports (domain SEAL_ALERTS), in plain words. */
const SEAL_ALERTS = {
  OPENED: "opened: the seal's wire cut or its lock forced",
  ROUTE_DEVIATION: "off the declared route",
  LONG_STOP: "stopped longer than the corridor allows",
  LOW_BATTERY: "the seal's battery is low",
};

/** What to do after each kind of failure that is neither the ledger's own refusal nor an unknown outcome. */
const NEXT_STEPS = {
  FORBIDDEN: "Sign in as a member who may act on this lot, or ask the node's operator for a key for your organisation.",
  BAD_USER_INPUT: "Correct the form and send it again.",
};

/** Failures after which the action may or may not have been recorded: the same form is sent again, as the same event. */
const UNKNOWN_OUTCOME = new Set([UNREACHABLE, "TIMEOUT", "INTERNAL", "LEDGER_UNAVAILABLE", "STORAGE_FULL"]);
const outcomeUnknown = (error) => {
  const code = errorCode(error) ?? "";
  return UNKNOWN_OUTCOME.has(code) || /^HTTP_5/.test(code);
};

/**
 * The panel, or null when the caller may take no action here. `done(notice)` is called after an
 * accepted action, with the outcome (`text`: its nodes) to show once the lot is read again;
 * `opened()` when a form is opened (the last outcome is then old news).
 */
export function actionsPanel(lot, viewer, { done, opened }) {
  if (lot.availableActions.length === 0) return null;
  const slot = h("div", { class: "action-form" });
  const buttons = lot.availableActions.map((option) => {
    const [label, meaning] = ACTIONS[option.action];
    return h(
      "button",
      {
        type: "button",
        class: "action",
        "data-action": option.action,
        title: meaning,
        "aria-pressed": "false",
        onclick: (clicked) => {
          for (const button of buttons) button.setAttribute("aria-pressed", String(button === clicked.currentTarget));
          slot.replaceChildren(actionForm(lot, viewer, option, done));
          opened();
        },
      },
      label,
    );
  });
  return h(
    "section",
    { id: "actions", "aria-labelledby": "actions-title" },
    h("h2", { id: "actions-title" }, "Actions"),
    h(
      "p",
      { class: "muted" },
      `What you, ${viewer.org} (${viewer.role}), may do to this lot now. Each action is signed for your organisation and recorded on the ledger for good.`,
    ),
    h("div", { class: "action-buttons" }, buttons),
    slot,
  );
}

function actionForm(lot, viewer, option, done) {
  const [label, meaning] = ACTIONS[option.action];
  // One event id per content of the form: sent again unchanged after a lost answer, it cannot be applied
  // twice; changed, it is a new event, never taken for the one sent before.
  const eventIds = new Map();
  const fields = fieldsFor(lot, option);
  const status = h("div", { class: "form-status", role: "status", "aria-live": "polite" });
  const review = h("div", { class: "review" });
  const form = h(
    "form",
    { class: "action", "data-action": option.action, novalidate: true },
    h("h3", {}, label),
    h("p", { class: "muted" }, `${meaning[0].toUpperCase()}${meaning.slice(1)}.`),
    fields.elements,
    h("div", { class: "buttons" }, h("button", { type: "submit" }, "Review")),
    review,
    status,
  );
  // A review is of what the form held then: any change takes it back, so Confirm never sends something else.
  form.addEventListener("input", () => review.replaceChildren());
  form.addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    status.replaceChildren();
    const problem = fields.problem();
    if (problem) {
      status.replaceChildren(h("p", { class: "error" }, problem));
      return;
    }
    const content = fields.input();
    const key = JSON.stringify(content);
    if (!eventIds.has(key)) eventIds.set(key, `urn:uuid:${crypto.randomUUID()}`);
    const input = { ...content, eventId: eventIds.get(key) };
    const confirm = h("button", { type: "button", class: "confirm" }, `Confirm: ${label.toLowerCase()} ${lot.id}`);
    const back = h("button", { type: "button", class: "secondary" }, "Back");
    back.addEventListener("click", () => review.replaceChildren());
    confirm.addEventListener("click", () => void send(option.action, input, { form, confirm, back, status, done, label, lot }));
    review.replaceChildren(
      h("p", {}, `You, ${viewer.org} (${viewer.role}), are about to ${label.toLowerCase()} ${lot.id}:`),
      h(
        "ul",
        {},
        fields.summary().map((line) => h("li", {}, line)),
      ),
      h("div", { class: "buttons" }, confirm, back),
    );
    confirm.focus();
  });
  return form;
}

async function send(action, input, { form, confirm, back, status, done, label, lot }) {
  // The whole panel waits: another action's button would replace the form being sent.
  const panel = form.closest("#actions") ?? form;
  const controls = [...panel.querySelectorAll("input, select, textarea, button")];
  for (const control of controls) control.disabled = true;
  form.setAttribute("aria-busy", "true");
  status.replaceChildren(h("p", { class: "muted" }, "Sending to the ledger…"));
  try {
    const result = (await gql(`mutation ($input: ${INPUT_TYPES[action]}!) { ${action}(input: $input) { eventId duplicate transaction } }`, { input }))[action];
    done(
      result.duplicate
        ? {
            text: [
              `This same ${label.toLowerCase()} of ${lot.id}, as reviewed, was already recorded under its event (${result.eventId}); nothing was done again. The timeline below shows it.`,
            ],
          }
        : {
            text: [
              `Accepted: ${label.toLowerCase()} of ${lot.id} is recorded on the ledger (transaction `,
              h("code", { title: result.transaction }, shortHash(result.transaction)),
              "). The timeline below shows it.",
            ],
          },
    );
  } catch (error) {
    form.removeAttribute("aria-busy");
    for (const control of controls) control.disabled = false;
    // Unchanged since the review, the form can be sent again as the same event; otherwise it is edited and reviewed again.
    confirm.disabled = !outcomeUnknown(error);
    if (outcomeUnknown(error)) confirm.textContent = "Send it again unchanged";
    back.textContent = "Edit the form";
    status.replaceChildren(...failure(error));
  }
}

function failure(error) {
  const first = error instanceof ApiError ? error.errors[0] : undefined;
  const code = errorCode(error);
  if (first?.extensions !== undefined && code === "REFUSED") {
    const { reason, nextStep } = first.extensions;
    const because = first.message.endsWith(` (${nextStep})`) ? first.message.slice(0, -nextStep.length - 3) : first.message;
    return [
      h("p", { class: "error" }, `Refused by the ledger (${reason}). Nothing was changed.`),
      h("p", {}, `${because}.`),
      h("p", { class: "next" }, h("strong", {}, "What to do next: "), `${nextStep}; or reload the page to see the lot as it is now.`),
    ];
  }
  if (outcomeUnknown(error))
    return [
      h(
        "p",
        { class: "error" },
        code === "LEDGER_UNAVAILABLE" || code === "STORAGE_FULL"
          ? `Not known to be recorded (${code}): ${first?.message}.`
          : "No answer from TraceGate: the action may or may not have been recorded.",
      ),
      h(
        "p",
        { class: "next" },
        h("strong", {}, "What to do next: "),
        "send it again unchanged (“Send it again unchanged” above): the ledger applies it at most once, and says so if it was already recorded. " +
          "Or reload the page to see the lot as it is now. A changed form is sent as a new action.",
      ),
    ];
  if (code === "UNAUTHENTICATED") return [h("p", { class: "error" }, "Not sent. ", ...explain(error))];
  return [
    h("p", { class: "error" }, `Not sent${code ? ` (${code})` : ""}: ${first?.message ?? messageOf(error)}`),
    ...(NEXT_STEPS[code] ? [h("p", { class: "muted" }, NEXT_STEPS[code])] : []),
  ];
}

// The fields of each form: its controls, a check before review, the mutation's input and a summary.

function fieldsFor(lot, option) {
  const parts = [];
  if (option.facilities.length > 0) parts.push(facilityField(option.facilities, option.action === "seal" ? "Destination" : "Facility"));
  if (option.reasonRequired) parts.push(reasonField());
  if (option.action === "seal") parts.push(sealFields());
  if (option.action === "unseal") parts.push(sealCheckFields());
  if (option.action === "alert") parts.push(alertFields(lot));
  for (const need of option.documents) parts.push(documentField(need));
  if (option.action === "declare") parts.push(declareFields(lot));
  if (option.action === "split") parts.push(partsField("Parts (new lots)", lot.unit, lot.quantity, `${lot.id}`, "parts"));
  if (option.action === "transform") parts.push(transformFields(lot, option.products));
  return {
    elements: parts.map((part) => part.element),
    problem: () => parts.map((part) => part.problem?.()).find(Boolean),
    // A transform names its input lots itself; every other action is about this lot.
    input: () => Object.assign(option.action === "transform" ? {} : { lot: lot.id }, ...parts.map((part) => part.input())),
    summary: () => parts.flatMap((part) => part.summary()),
  };
}

const field = (label, control, hint) => h("label", {}, h("span", {}, label), control, hint ? h("small", { class: "muted" }, hint) : null);

function facilityField(facilities, label) {
  const select = h(
    "select",
    { name: "facility", required: true },
    facilities.map((facility) =>
      h("option", { value: facility.id }, `${facility.id} (${facility.kind.toLowerCase().replace("_", " ")}, run by ${facility.operator})`),
    ),
  );
  return {
    element: field(label, select),
    input: () => ({ facility: select.value }),
    summary: () => [label === "Destination" ? `to ${select.value}` : `at ${select.value}`],
  };
}

const ID = /^[\x21-\x7e]{1,31}$/;
const tooLong = (text) => new TextEncoder().encode(text).length > 500;

/**
 * A seal's id and the deadline, a date-time on this browser's clock (sent in UTC): by default two days
 * on. Whether it is after the sealing and within 30 days is the ledger's to judge, by its own clock.
 */
function sealFields() {
  const seal = h("input", { name: "seal", placeholder: "the electronic seal's id", size: 31, maxlength: 31, spellcheck: "false" });
  const soon = new Date(Date.now() + 2 * 86_400_000);
  soon.setMinutes(0, 0, 0);
  const local = new Date(soon.getTime() - soon.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  const deadline = h("input", { type: "datetime-local", name: "deadline", value: local, step: 60 });
  // An empty or unreadable field is an invalid date, caught before review.
  const when = () => new Date(deadline.value === "" ? Number.NaN : deadline.value);
  return {
    element: h(
      "div",
      { class: "fields" },
      field("Seal", seal),
      field("Deadline", deadline, "Your local time. At most 30 days after the sealing; an unseal after it holds the lot as OVERDUE."),
    ),
    problem: () =>
      !ID.test(seal.value.trim())
        ? "Give the seal's id: 1 to 31 characters, no spaces."
        : Number.isNaN(when().getTime())
          ? "Give the deadline: a date and a time."
          : null,
    input: () => ({ seal: seal.value.trim(), deadline: when().toISOString() }),
    summary: () => [`under seal ${seal.value.trim()}`, `to arrive by ${formatTime(when().toISOString())}`],
  };
}

/** The seal check: intact (a remark may be added) or broken (the reason is required). */
function sealCheckFields() {
  const intact = h("input", { type: "checkbox", name: "sealIntact", checked: true });
  const text = h("textarea", { name: "reason", rows: 2, maxlength: 500 });
  return {
    element: h(
      "div",
      { class: "fields" },
      h("label", { class: "check" }, intact, " the seal is intact"),
      field("Reason", text, "Required when the seal is broken (what was found); otherwise an optional remark. At most 500 bytes."),
    ),
    problem: () =>
      !intact.checked && text.value.trim() === ""
        ? "The seal is broken: say what was found."
        : tooLong(text.value)
          ? "The reason is longer than 500 bytes."
          : null,
    input: () => ({ sealIntact: intact.checked, reason: text.value.trim() }),
    summary: () => [
      intact.checked ? "seal intact" : "seal BROKEN: the lot will be held",
      ...(text.value.trim() === "" ? [] : [`reason: “${text.value.trim()}”`]),
    ],
  };
}

/** An alert of the lot's own seal: its kind and what the seal reported. */
function alertFields(lot) {
  const kind = h(
    "select",
    { name: "alert" },
    Object.entries(SEAL_ALERTS).map(([value, words]) => h("option", { value }, `${value} (${words})`)),
  );
  const detail = h("textarea", { name: "detail", rows: 2, maxlength: 500 });
  return {
    element: h(
      "div",
      { class: "fields" },
      h("p", { class: "muted" }, `Seal ${lot.seal}, to ${lot.destination}.`),
      field("Alert", kind),
      field("Detail", detail, "Optional: what the seal reported (place, time). At most 500 bytes."),
    ),
    problem: () => (tooLong(detail.value) ? "The detail is longer than 500 bytes." : null),
    input: () => ({ seal: lot.seal, alert: kind.value, detail: detail.value.trim() }),
    summary: () => [`alert ${kind.value} from seal ${lot.seal}`, ...(detail.value.trim() === "" ? [] : [`detail: “${detail.value.trim()}”`])],
  };
}

function reasonField() {
  const text = h("textarea", { name: "reason", rows: 2, required: true, maxlength: 500 });
  return {
    element: field("Reason", text, "Recorded with the action for good: at most 500 bytes."),
    problem: () =>
      text.value.trim() === "" ? "State the reason." : new TextEncoder().encode(text.value).length > 500 ? "The reason is longer than 500 bytes." : null,
    input: () => ({ reason: text.value.trim() }),
    summary: () => [`reason: “${text.value.trim()}”`],
  };
}

const HASH = /^0x[0-9a-f]{64}$/;

function documentField(need) {
  const key = DOCUMENT_FIELDS[need.kind];
  const name = DOCUMENT_NAMES[need.kind] ?? need.kind;
  const input = h("input", { name: key, placeholder: "0x… (SHA-256 of the anchored document)", size: 70, spellcheck: "false", required: need.required });
  const value = () => input.value.trim().toLowerCase();
  return {
    element: field(`${name} ${need.required ? "(required)" : "(optional)"}`, input, "Its SHA-256 as anchored: verify the file on the Verify page to get it."),
    problem: () =>
      value() === ""
        ? need.required
          ? `This lot needs a ${name.toLowerCase()}: give its SHA-256.`
          : null
        : HASH.test(value())
          ? null
          : `The ${name.toLowerCase()} must be a SHA-256: 0x and 64 hex digits.`,
    input: () => ({ [key]: value() === "" ? null : value() }),
    summary: () => [value() === "" ? `no ${name.toLowerCase()}` : `${name.toLowerCase()} ${value()}`],
  };
}

function declareFields(lot) {
  const direction = h("select", { name: "direction" }, h("option", { value: "EXPORT" }, "export"), h("option", { value: "IMPORT" }, "import"));
  const preference = h("input", { type: "checkbox", name: "preferenceClaimed" });
  const permit = h("input", { type: "checkbox", name: "permitRequired" });
  return {
    element: h(
      "div",
      { class: "fields" },
      field("Direction", direction),
      h("label", { class: "check" }, preference, " claims a tariff preference (a C/O is needed to clear)"),
      h("label", { class: "check" }, permit, " needs a permit to clear"),
      h("p", { class: "muted" }, `Goods: ${lot.quantity} ${lot.unit} of ${lot.material} (HS ${lot.hsCode}), as the lot holds.`),
    ),
    input: () => ({
      material: lot.material,
      hsCode: lot.hsCode,
      unit: lot.unit,
      quantity: lot.quantity,
      direction: direction.value,
      preferenceClaimed: preference.checked,
      permitRequired: permit.checked,
    }),
    summary: () => [`for ${direction.value.toLowerCase()}: ${lot.quantity} ${lot.unit} of ${lot.material}`],
  };
}

const WHOLE = /^[1-9][0-9]*$/;

/** Rows of new lot id + quantity; `total` (a decimal string) is what they must add up to, when given. */
function partsField(label, unit, total, prefix, name) {
  const list = h("div", { class: "parts" });
  const sum = h("small", { class: "muted" });
  const row = (lotId = "", quantity = "") => {
    const id = h("input", { name: `${name}-lot`, value: lotId, placeholder: "new lot id", size: 20, maxlength: 31, spellcheck: "false" });
    const amount = h("input", { name: `${name}-quantity`, value: quantity, inputmode: "numeric", size: 10 });
    amount.addEventListener("input", update);
    return h("div", { class: "part" }, id, amount, h("span", { class: "unit" }, unit));
  };
  const rows = () =>
    [...list.querySelectorAll(".part")].map((part) => {
      const [id, amount] = part.querySelectorAll("input");
      return { lot: id.value.trim(), quantity: amount.value.trim() };
    });
  const added = () => rows().reduce((sum, part) => sum + (WHOLE.test(part.quantity) ? BigInt(part.quantity) : 0n), 0n);
  function update() {
    sum.textContent = total === undefined ? `${added()} ${unit} in all` : `adds up to ${added()} of ${total} ${unit}`;
    sum.classList.toggle("off", total !== undefined && added() !== BigInt(total));
  }
  const half = total === undefined ? "" : String(BigInt(total) / 2n);
  const rest = total === undefined ? "" : String(BigInt(total) - BigInt(total) / 2n);
  list.append(row(suffixed(prefix, "A"), half), ...(total === undefined ? [] : [row(suffixed(prefix, "B"), rest)]));
  update();
  const add = h("button", { type: "button", class: "secondary" }, "Add a part");
  add.addEventListener("click", () => {
    list.append(row());
    update();
  });
  return {
    element: h(
      "fieldset",
      {},
      h("legend", {}, label),
      h("div", { class: "part heading muted" }, h("span", {}, "new lot id"), h("span", {}, `quantity (${unit})`)),
      list,
      h("div", { class: "buttons" }, add, sum),
    ),
    problem: () => {
      const parts = rows();
      if (parts.some((part) => !/^[\x21-\x7e]{1,31}$/.test(part.lot))) return "Each new lot needs an id: 1 to 31 characters, no spaces.";
      if (parts.some((part) => !WHOLE.test(part.quantity))) return `Each quantity is a whole number of ${unit}, at least 1.`;
      if (total !== undefined && added() !== BigInt(total)) return `The parts add up to ${added()} ${unit}: they must add up to the lot's ${total}.`;
      return null;
    },
    input: () => ({ [name]: rows() }),
    summary: () => rows().map((part) => `${part.lot}: ${part.quantity} ${unit}`),
  };
}

/** A new lot id from the lot's own, when it fits the 31 characters an id may have. */
const suffixed = (prefix, suffix) => (`${prefix}-${suffix}`.length <= 31 ? `${prefix}-${suffix}` : "");

function transformFields(lot, products) {
  const product = h(
    "select",
    { name: "product" },
    products.map((norm) => h("option", { value: norm.product, "data-unit": norm.unit }, `${norm.product} (${norm.unit})`)),
  );
  const consumed = h("input", { name: "consumed", inputmode: "numeric", size: 10 });
  let outputs = partsField("Products (new lots)", products[0].unit, undefined, `${lot.id}-P`, "outputs");
  const holder = h("div", {}, outputs.element);
  product.addEventListener("change", () => {
    outputs = partsField("Products (new lots)", product.selectedOptions[0].dataset.unit, undefined, `${lot.id}-P`, "outputs");
    holder.replaceChildren(outputs.element);
  });
  return {
    element: h("div", { class: "fields" }, field("Product", product), field(`Consumed from ${lot.id} (${lot.unit}, of ${lot.quantity})`, consumed), holder),
    problem: () => (WHOLE.test(consumed.value.trim()) ? outputs.problem() : `Say how much of ${lot.id} the run consumed, in ${lot.unit}.`),
    input: () => ({ product: product.value, inputs: [{ lot: lot.id, quantity: consumed.value.trim() }], outputs: outputs.input().outputs }),
    summary: () => [`product ${product.value}`, `consuming ${consumed.value.trim()} ${lot.unit} of ${lot.id}`, ...outputs.summary()],
  };
}
