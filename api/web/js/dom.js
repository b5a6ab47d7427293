// Small DOM and SVG builders and formatters shared by the pages (no framework, no inline code: the CSP forbids it).
const SVG_NS = "http://www.w3.org/2000/svg";

function build(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export const h = (tag, attributes = {}, ...children) => build(document.createElement(tag), attributes, children);
export const svg = (tag, attributes = {}, ...children) => build(document.createElementNS(SVG_NS, tag), attributes, children);

export const formatTime = (iso) => (iso ? iso.replace("T", " ").replace(/:00\.000Z$|\.000Z$/, "") + " UTC" : "");

/** Text from the API (a check's reason) with its ISO times in formatTime's format. */
export const plainTimes = (text) => text.replace(/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?Z)/g, (iso) => formatTime(iso));

/** The pages' one date format: the day of formatTime, YYYY-MM-DD (UTC). */
export const formatDate = (iso) => (iso ? iso.slice(0, 10) : "");

export const lotLink = (id) => h("a", { href: `/lot.html?id=${encodeURIComponent(id)}` }, id);

/** A document's id, linked to its page (what the ledger recorded, the decrypted document and its verdict). */
export const documentLink = (document) => h("a", { href: `/document.html?hash=${document.hash}`, title: document.hash }, document.id);

export function formatDuration(seconds) {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  if (hours >= 48) return `${(seconds / 86400).toFixed(1)} d`;
  return hours > 0 ? `${hours} h ${String(minutes).padStart(2, "0")} min` : `${minutes} min`;
}

export const shortHash = (hash) => (hash && hash.length > 18 ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : hash ?? "");

export const badge = (verdict) => h("span", { class: `badge ${verdict === "VALID" ? "ok" : "bad"}` }, verdict);

/** Shows an error in place of a page's content. */
export function showError(container, error) {
  container.replaceChildren(h("p", { class: "error", role: "alert" }, error.message));
}

export const param = (name) => new URLSearchParams(location.search).get(name);

/** Replaces the page's <header> with the navigation, marking the current page. */
export function navigation(current) {
  const link = (href, label) => h("a", { href, "aria-current": href === current ? "page" : undefined }, label);
  document.querySelector("header").replaceChildren(
    h("strong", {}, "TraceGate audit"),
    h("nav", {}, link("/", "Lots"), link("/verify.html", "Verify a document"), link("/reconciliation.html", "Reconciliation"), link("/dwell.html", "Dwell times"), link("/findings.html", "Findings")),
  );
}
