// The start page: which token to use, who the API takes you for, and the lots you may see.
import { errorCode, getToken, gql, setToken } from "./api.js";
import { fillChoices } from "./choices.js";
import { element, h, lotLink, messageOf, navigation, param, showError } from "./dom.js";

navigation("/");
const viewer = element("#viewer", HTMLElement);
const lots = element("#lots", HTMLElement);
const filterForm = element("#filter", HTMLFormElement);
const tokenInput = element("#token", HTMLInputElement);
const signOut = element("#sign-out", HTMLButtonElement);
/** Lots per page (?per= for a shorter page): 1 to 100. */
const PER_PAGE = Math.min(100, Math.max(1, Math.trunc(Number(param("per"))) || 50));
/** The page of this node that sent the reader here to sign in (?return=), to go back to once signed in. */
const returnTo = (() => {
  const target = new URL(param("return") ?? "/", location.origin);
  return param("return") !== null && target.origin === location.origin ? target.pathname + target.search + target.hash : null;
})();

const isUnauthenticated = (/** @type {unknown} */ error) => errorCode(error) === "UNAUTHENTICATED";

/** Says who the API takes the reader for; true when signed in. */
async function showViewer() {
  signOut.hidden = !getToken();
  if (!getToken()) {
    viewer.textContent = `Not signed in: sign in above${returnTo ? ", and you go back to the page you came from" : ""}. The API answers nothing without it.`;
    return false;
  }
  try {
    const { viewer: me } = await gql("{ viewer { org role audience } }");
    viewer.textContent = `Signed in as ${me.org} (${me.role}), seeing what a ${me.audience} may see.`;
    return true;
  } catch (error) {
    viewer.textContent = isUnauthenticated(error) ? "Your sign-in has expired or is not accepted: sign in again above." : messageOf(error);
    return false;
  }
}

/** One page of the lots matching `filter`; `cursors` holds the cursor each earlier page started after. */
async function showLots(filter, cursors = [null]) {
  try {
    const data = await gql(
      "query ($filter: LotFilter, $first: Int!, $after: String) { lots(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id material quantity unit owner custodian location state } } } }",
      { filter, first: PER_PAGE, after: cursors.at(-1) },
    );
    const { totalCount, pageInfo } = data.lots;
    const first = (cursors.length - 1) * PER_PAGE + 1;
    const pager = h(
      "p",
      { class: "pager" },
      h("span", { class: "count" }, `Lots ${first}–${first + data.lots.edges.length - 1} of ${totalCount}`),
      h(
        "button",
        { type: "button", class: "previous secondary", disabled: cursors.length === 1, onclick: () => void showLots(filter, cursors.slice(0, -1)) },
        "Previous",
      ),
      h(
        "button",
        { type: "button", class: "next secondary", disabled: !pageInfo.hasNextPage, onclick: () => void showLots(filter, [...cursors, pageInfo.endCursor]) },
        "Next",
      ),
    );
    const rows = data.lots.edges.map(({ node }) =>
      h(
        "tr",
        {},
        h("td", {}, lotLink(node.id)),
        h("td", {}, node.material),
        h("td", { class: "number" }, `${node.quantity} ${node.unit}`),
        h("td", {}, node.owner),
        h("td", {}, node.custodian),
        h("td", {}, node.location ?? "—"),
        h("td", {}, node.state),
      ),
    );
    lots.replaceChildren(
      ...(totalCount === 0 ? [] : [pager]),
      rows.length === 0
        ? h("p", { class: "muted" }, "No lots you may see match.")
        : h(
            "table",
            {},
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["Lot", "Material", "Quantity", "Owner", "Custodian", "Location", "State"].map((label) => h("th", {}, label)),
              ),
            ),
            h("tbody", {}, rows),
          ),
    );
  } catch (error) {
    // Signed out or expired: the viewer line says so once.
    if (isUnauthenticated(error)) lots.replaceChildren();
    else showError(lots, error);
  }
}

async function signIn(token) {
  setToken(token);
  tokenInput.value = token;
  if ((await showViewer()) && returnTo !== null) return location.assign(returnTo);
  void showLots({});
  void fillChoices(filterForm, CHOICES).catch(() => {});
}

const CHOICES = { owner: "enterprises", state: "states", facility: "facilities", material: "materials" };

/** In development the API mints a token for every organisation registered so far: offered as a choice. */
async function offerDevTokens() {
  const form = element("#dev-sign-in", HTMLFormElement);
  const select = element("#dev-sign-in select", HTMLSelectElement);
  const answer = await fetch("/dev/tokens");
  if (!answer.ok) return;
  const { tokens } = await answer.json();
  if (tokens.length === 0) return;
  const choices = new Map(tokens.map(({ org, role, token }) => [`${org}/${role}`, token]));
  select.replaceChildren(...[...choices.keys()].map((name) => h("option", { value: name }, name)));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void signIn(choices.get(select.value));
  });
  form.hidden = false;
}

tokenInput.value = getToken() ?? "";
element("#sign-in", HTMLFormElement).addEventListener("submit", (event) => {
  event.preventDefault();
  void signIn(tokenInput.value);
});
signOut.addEventListener("click", () => {
  setToken(null);
  tokenInput.value = "";
  lots.replaceChildren();
  void showViewer();
});
void offerDevTokens();
filterForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const filter = Object.fromEntries([...new FormData(filterForm)].filter(([, value]) => value !== ""));
  void showLots(filter);
});
void showViewer();
if (getToken()) {
  void showLots({});
  void fillChoices(filterForm, CHOICES).catch(() => {});
}
