// Where a lot's label (/lot/<id>) sends a browser: a browser sends no token when it follows a link, so
// this page asks again with the session's token. A caller who may see the lot goes on to its trace page;
// anyone else sees the public part the node allows (tracegate-* attributes of the linkset), or nothing.
import { ApiError, getToken, requestJson } from "./api.js";
import { element, h, navigation, param, showError, signInLink } from "./dom.js";

navigation("");
const id = param("id") ?? "";
const place = element("#lot", HTMLElement);
element("#title", HTMLElement).textContent = `Lot ${id}`;

async function resolve() {
  // What the ledger takes as a lot id (a path of dots would not even reach the resolver).
  if (!/^[\x21-\x7e]{1,31}$/.test(id) || /^\.{1,2}$/.test(id))
    return place.replaceChildren(h("p", { id: "verdict" }, "This label names no lot: its id is not one a lot can have."));
  const token = getToken();
  const { response, body } = await requestJson(`/lot/${encodeURIComponent(id)}`, {
    headers: { accept: "application/linkset+json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (response.status === 404) return place.replaceChildren(h("p", { id: "verdict" }, `No lot ${id} is known to this node.`));
  if (!response.ok) throw new ApiError([{ message: body.error?.message ?? `HTTP ${response.status}`, extensions: { code: body.error?.code } }]);
  const links = body.linkset[0];
  const trace = links["https://gs1.org/voc/traceability"];
  if (trace) return location.replace(trace[0].href);
  const facts = links["https://gs1.org/voc/defaultLink"][0];
  const signIn = h(
    "p",
    { class: "muted" },
    token
      ? "Your organisation may not see this lot's history."
      : h("span", {}, signInLink("Sign in"), " to see more, as your organisation may: you come back here."),
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
