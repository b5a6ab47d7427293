// Where a lot's label (/lot/<id>) sends a browser: a browser sends no token when it follows a link, so
// this page asks again with the session's token. A caller who may see the lot goes on to its trace page;
// anyone else sees the public part the node allows (tracegate-* attributes of the linkset), or nothing.
import { getToken } from "./api.js";
import { element, h, navigation, param, showError } from "./dom.js";

navigation("");
const id = param("id") ?? "";
const place = element("#lot", HTMLElement);
element("#title", HTMLElement).textContent = `Lot ${id}`;

async function resolve() {
  const token = getToken();
  const response = await fetch(`/lot/${encodeURIComponent(id)}`, {
    headers: { accept: "application/linkset+json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (response.status === 404) return place.replaceChildren(h("p", { id: "verdict" }, `No lot ${id} is known to this node.`));
  const body = await response.json();
  if (!response.ok) throw new Error(`${body.error?.code ?? response.status}: ${body.error?.message ?? ""}`);
  const links = body.linkset[0];
  const trace = links["https://gs1.org/voc/traceability"];
  if (trace) return location.replace(trace[0].href);
  const facts = links["https://gs1.org/voc/defaultLink"][0];
  const signIn = h(
    "p",
    { class: "muted" },
    token
      ? "Your organisation may not see this lot's history."
      : h("span", {}, h("a", { href: "/" }, "Sign in"), " to see more, as your organisation may, then scan again."),
  );
  if (!facts["tracegate-exists"]) {
    return place.replaceChildren(h("p", { id: "verdict" }, "This node tells only those who may see a lot anything about it."), signIn);
  }
  const state = facts["tracegate-state"];
  place.replaceChildren(
    h("p", { id: "verdict" }, "This lot exists on the ledger."),
    ...(state
      ? [
          h(
            "dl",
            { class: "facts" },
            h("dt", {}, "State now"),
            h("dd", { id: "state" }, state[0]),
            h("dt", {}, "Custodian"),
            h("dd", { id: "custodian" }, facts["tracegate-custodian"][0]),
          ),
        ]
      : []),
    signIn,
  );
}

resolve().catch((error) => showError(place, error));
