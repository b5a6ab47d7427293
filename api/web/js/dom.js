// Small DOM and SVG builders and formatters shared by the pages (no framework, no inline code: the CSP forbids it).
const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * A child of h() and svg(): a node, text (numbers too), or nothing (null, undefined, false are left out),
 * or a list of these.
 * @typedef {Node | string | number | boolean | null | undefined} Leaf
 * @typedef {Leaf | readonly Leaf[]} Child
 */
/**
 * Attributes by name: `on…` names take a listener; true is present, false, null and undefined absent.
 * @typedef {Record<string, any>} Attributes
 */

/**
 * @template {Element} E
 * @param {E} element
 * @param {Attributes} attributes
 * @param {Child[]} children
 * @returns {E}
 */
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

/**
 * An HTML element.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attributes} [attributes]
 * @param {Child[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  return build(document.createElement(tag), attributes, children);
}
/** An SVG element. @type {(tag: string, attributes?: Attributes, ...children: Child[]) => SVGElement} */
export const svg = (tag, attributes = {}, ...children) => build(document.createElementNS(SVG_NS, tag), attributes, children);

/** An ISO time as "YYYY-MM-DD HH:MM UTC" (seconds when not zero); "" for none. @type {(iso: string | null | undefined) => string} */
export const formatTime = (iso) => (iso ? `${iso.replace("T", " ").replace(/:00\.000Z$|\.000Z$/, "")} UTC` : "");

/** Text from the API (a check's reason) with its ISO times in formatTime's format. */
/** @type {(text: string) => string} */
export const plainTimes = (text) => text.replace(/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?Z)/g, (iso) => formatTime(iso));

/** The pages' one date format: the day of formatTime, YYYY-MM-DD (UTC). */
/** @type {(iso: string | null | undefined) => string} */
export const formatDate = (iso) => (iso ? iso.slice(0, 10) : "");

/** @type {(id: string) => HTMLElement} */
export const lotLink = (id) => h("a", { href: `/lot.html?id=${encodeURIComponent(id)}` }, id);

/** A document's id, linked to its page (what the ledger recorded, the decrypted document and its verdict). */
/** @type {(document: { hash: string, id: string }) => HTMLElement} */
export const documentLink = (document) => h("a", { href: `/document.html?hash=${document.hash}`, title: document.hash }, document.id);

/** @param {number} seconds */
export function formatDuration(seconds) {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  if (hours >= 48) return `${(seconds / 86400).toFixed(1)} d`;
  return hours > 0 ? `${hours} h ${String(minutes).padStart(2, "0")} min` : `${minutes} min`;
}

/** @type {(hash: string | null | undefined) => string} */
export const shortHash = (hash) => (hash && hash.length > 18 ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : (hash ?? ""));

/** @type {(verdict: string) => HTMLElement} */
export const badge = (verdict) => h("span", { class: `badge ${verdict === "VALID" ? "ok" : "bad"}` }, verdict);

/** What to tell the reader about anything thrown: an Error's message, or the thrown value itself. */
export const messageOf = (/** @type {unknown} */ error) => (error instanceof Error ? error.message : String(error));

/**
 * Shows an error in place of a page's content.
 * @param {Element} container
 * @param {unknown} error
 */
export function showError(container, error) {
  container.replaceChildren(h("p", { class: "error", role: "alert" }, messageOf(error)));
}

/** The page address's query parameter `name`, null when absent. @type {(name: string) => string | null} */
export const param = (name) => new URLSearchParams(location.search).get(name);

/**
 * The page's element for `selector` (within `root`), of the class `type` (HTMLFormElement, …): a page
 * whose HTML lacks it fails here, naming what is missing, instead of later on a null.
 * @template {Element} T
 * @param {string} selector
 * @param {new (...args: any[]) => T} type
 * @param {ParentNode} [root]
 * @returns {T}
 */
export function element(selector, type, root = document) {
  const found = root.querySelector(selector);
  if (!(found instanceof type)) throw new Error(`this page has no ${type.name} ${selector}`);
  return found;
}

/**
 * Replaces the page's <header> with the navigation, marking the current page.
 * @param {string} current the current page's path ("" for none of the navigation's)
 */
export function navigation(current) {
  const link = (/** @type {string} */ href, /** @type {string} */ label) => h("a", { href, "aria-current": href === current ? "page" : undefined }, label);
  element("header", HTMLElement).replaceChildren(
    h("strong", {}, "TraceGate audit"),
    h(
      "nav",
      {},
      link("/", "Lots"),
      link("/verify.html", "Verify a document"),
      link("/reconciliation.html", "Reconciliation"),
      link("/dwell.html", "Dwell times"),
      link("/findings.html", "Findings"),
    ),
  );
}
