// One anchored document: what the ledger recorded (kind, issuer, lots, versions, status and its
// history) under the API's visibility rule, and the decrypted document itself (document-content.js).
import { gql } from "./api.js";
import { contentPanel } from "./document-content.js";
import { kindName } from "./document-kinds.js";
import { element, formatDate, formatTime, h, ledgerText, lotLink, navigation, param, shortHash, showError } from "./dom.js";

navigation("");
const container = element("#document", HTMLElement);
// A document is named by its SHA-256 (?hash=), or by the issuer's document id (?id=, as printed on it).
const idParam = param("id") ?? "";
const hash = (param("hash") ?? (/^0x[0-9a-fA-F]{64}$/.test(idParam) ? idParam : "")).toLowerCase();
const issuerId = hash === "" ? param("id") : null;

const DOCUMENT = `query ($hash: String!) { viewer { org role } document(hash: $hash) {
  hash id kind issuer version status statusChangedAt revocationReason supersedes supersededBy anchoredAt tx cid subjects
  versions { hash version status anchoredAt statusChangedAt revocationReason } } }`;

const documentPageLink = (version, label) => h("a", { href: `/document.html?hash=${version.hash}`, title: version.hash }, label);

function statusLine(document) {
  const when = formatDate(document.statusChangedAt);
  if (document.status === "VALID") return h("p", { class: "status" }, h("span", { class: "badge ok" }, "VALID"), " in force: neither revoked nor amended");
  if (document.status === "REVOKED")
    return h("p", { class: "status" }, h("span", { class: "badge bad" }, "REVOKED"), ` on ${when}: “`, ledgerText(document.revocationReason), "”");
  const current = document.versions.at(-1);
  return h(
    "p",
    { class: "status" },
    h("span", { class: "badge warn" }, "SUPERSEDED"),
    ` on ${when} by `,
    current && current.hash !== document.hash ? documentPageLink(current, `version ${current.version}`) : "a later version",
  );
}

function facts(document) {
  const rows = [
    ["Kind", `${kindName(document.kind)} (${document.kind})`],
    ["Issuer", document.issuer],
    ["Version", `${document.version} of ${Math.max(...document.versions.map((version) => version.version), document.version)}`],
    [
      "Lots",
      document.subjects.length === 0
        ? "none named"
        : h(
            "span",
            {},
            document.subjects.flatMap((id, index) => [index > 0 ? ", " : "", lotLink(id)]),
          ),
    ],
    ["Anchored", h("span", {}, `${formatTime(document.anchoredAt)} · ledger transaction `, h("code", { title: document.tx }, shortHash(document.tx)))],
    ["SHA-256", h("code", { id: "anchored-hash" }, document.hash)],
    ["Encrypted copy", h("code", {}, document.cid)],
    // What `tracegate anchor --qr` prints: the verdict for anyone who has the link, nothing more.
    [
      "Verification link",
      h(
        "span",
        {},
        h("a", { id: "verification-link", href: `/verify.html?hash=${document.hash}` }, h("code", {}, `${location.origin}/verify.html?hash=${document.hash}`)),
        h("span", { class: "muted" }, " — opens the verdict for anyone, without sign-in"),
      ),
    ],
  ];
  return h(
    "dl",
    { class: "facts" },
    rows.flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]),
  );
}

/** Each version's anchoring, and its revocation or amendment, oldest first. */
function history(document) {
  const items = document.versions.flatMap((version, index) => {
    const next = document.versions[index + 1];
    // A new element each time: one DOM node can stand in one place only.
    const name = () =>
      version.hash === document.hash ? h("strong", {}, `version ${version.version} (this one)`) : documentPageLink(version, `version ${version.version}`);
    return [
      {
        time: version.anchoredAt,
        what: h("span", {}, name(), index === 0 ? " anchored" : ` anchored, amending version ${document.versions[index - 1].version}`),
      },
      version.status === "REVOKED"
        ? { time: version.statusChangedAt, what: h("span", {}, name(), " revoked: “", ledgerText(version.revocationReason), "”") }
        : null,
      version.status === "SUPERSEDED" && !next
        ? { time: version.statusChangedAt, what: h("span", {}, name(), " superseded by a version you may not see") }
        : null,
    ].filter(Boolean);
  });
  return h(
    "ol",
    { class: "timeline" },
    items.map((item) => h("li", {}, h("div", { class: "what" }, item.what), h("div", { class: "detail" }, formatTime(item.time)))),
  );
}

const BY_ID = `query ($id: String!) { documents(filter: { id: $id }, first: 100) { edges { node { hash id kind issuer version status } } } }`;

/**
 * The current version of the document with the issuer's id `id`, among those the caller's listing
 * shows (customs: all; others: their own); several issuers' documents of one id are offered as a choice.
 */
async function openById(id) {
  const { documents } = await gql(BY_ID, { id });
  const byIssuer = new Map();
  for (const { node } of documents.edges) {
    const known = byIssuer.get(node.issuer);
    if (!known || (known.status === "SUPERSEDED" && (node.status !== "SUPERSEDED" || node.version > known.version))) byIssuer.set(node.issuer, node);
  }
  const found = [...byIssuer.values()];
  if (found.length === 1) return location.replace(`/document.html?hash=${found[0].hash}`);
  if (found.length === 0)
    return showError(container, new Error(`No document ${id} is anchored, or it is not shared with you. Open it from its lot's page, or by its SHA-256.`));
  container.replaceChildren(
    h("p", {}, `${found.length} issuers anchored a document ${id}:`),
    h(
      "ul",
      {},
      found.map((version) =>
        h(
          "li",
          {},
          documentPageLink(version, `${kindName(version.kind)} ${version.id}`),
          ` issued by ${version.issuer}, version ${version.version}, ${version.status}`,
        ),
      ),
    ),
  );
}

async function show() {
  if (issuerId) return openById(issuerId).catch((error) => showError(container, error));
  if (!/^0x[0-9a-f]{64}$/.test(hash))
    return showError(
      container,
      new Error("No document in the address: document.html?hash=<its SHA-256, 0x and 64 hex digits>, or ?id=<the issuer's document id>."),
    );
  try {
    const { viewer, document } = await gql(DOCUMENT, { hash });
    if (document === null) {
      container.replaceChildren(
        h("p", { class: "error", role: "alert" }, `No document ${hash} is anchored, or it is not shared with you.`),
        h(
          "p",
          { class: "muted" },
          "If you hold the file, you can still check it: ",
          h("a", { href: `/verify.html?hash=${hash}` }, "verify it by its hash"),
          ".",
        ),
      );
      return;
    }
    document.versions = document.versions.length > 0 ? document.versions : [document];
    window.document.title = `${document.kind} ${document.id} · TraceGate audit`;
    element("h1", HTMLElement).textContent = `${kindName(document.kind)} ${document.id}`;
    container.replaceChildren(statusLine(document), facts(document), contentPanel(document, viewer), h("h2", {}, "Versions and status"), history(document));
  } catch (error) {
    showError(container, error);
  }
}
void show();
