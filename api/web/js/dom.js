// Small DOM and SVG builders and formatters shared by the pages (no framework, no inline code: the CSP forbids it).
import { errorCode, getToken, UNREACHABLE } from "./api.js";

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

/** Seconds as "5 min", "47 h 05 min", or from 48 h on "2.0 d": rounded to the minute once, then split. @param {number} seconds */
export function formatDuration(seconds) {
  const total = Math.round(seconds / 60);
  if (total >= 48 * 60) return `${(seconds / 86400).toFixed(1)} d`;
  const [hours, minutes] = [Math.floor(total / 60), total % 60];
  return hours > 0 ? `${hours} h ${String(minutes).padStart(2, "0")} min` : `${minutes} min`;
}

/** The Unicode controls that reorder the text after them (embeddings, overrides, isolates), by name; the node writes them out by the same names in findings (indexer/findings/ledger-text.ts). */
const BIDI_CONTROLS = {
  "\u202a": "LRE",
  "\u202b": "RLE",
  "\u202c": "PDF",
  "\u202d": "LRO",
  "\u202e": "RLO",
  "\u2066": "LRI",
  "\u2067": "RLI",
  "\u2068": "FSI",
  "\u2069": "PDI",
};

/** Text with its bidi controls written out ("[RLO]"): shown, they reorder nothing. @type {(text: string) => string} */
export const visibleControls = (text) => text.replace(/[\u202a-\u202e\u2066-\u2069]/g, (control) => `[${BIDI_CONTROLS[control]}]`);

/**
 * Text the ledger holds (a reason, a remark, a seal's detail, an explanation quoting them) inside the
 * page's own sentence: isolated in a <bdi>, its bidi controls shown, so it cannot reorder what follows.
 * @type {(text: string) => HTMLElement}
 */
export const ledgerText = (text) => h("bdi", { class: "ledger-text" }, visibleControls(text));

/** @type {(hash: string | null | undefined) => string} */
export const shortHash = (hash) => (hash && hash.length > 18 ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : (hash ?? ""));

/** @type {(verdict: string) => HTMLElement} */
export const badge = (verdict) => h("span", { class: `badge ${verdict === "VALID" ? "ok" : "bad"}` }, verdict);

/** What to tell the reader about anything thrown: an Error's message, or the thrown value itself. */
export const messageOf = (/** @type {unknown} */ error) => (error instanceof Error ? error.message : String(error));

/** A link to the start page that comes back to this page once signed in. @type {(label: string) => HTMLElement} */
export const signInLink = (label) =>
  h("a", { class: "sign-in", href: `/?${new URLSearchParams({ return: location.pathname + location.search + location.hash })}` }, label);

/**
 * Anything thrown, in words for a person: not signed in or the sign-in expired (with a link to sign in
 * and come back), TraceGate not answering, not allowed; anything else by its message.
 * @param {unknown} error
 * @returns {Child[]}
 */
export function explain(error) {
  const code = errorCode(error);
  if (code === "UNAUTHENTICATED")
    return getToken()
      ? ["Your sign-in has expired or is not accepted. ", signInLink("Sign in again"), ", and you come back to this page."]
      : ["You are not signed in: each browser tab signs in on its own. ", signInLink("Sign in"), ", and you come back to this page."];
  if (code === UNREACHABLE || /^HTTP_5/.test(code ?? "")) return ["TraceGate is not answering. Check that it is running, then reload this page."];
  if (code === "FORBIDDEN")
    return [`Not allowed: your organisation may not see or do this (${messageOf(error)}). Sign in as a member who may, or ask the node's operator.`];
  return [messageOf(error)];
}

/**
 * Shows an error in place of a page's content.
 * @param {Element} container
 * @param {unknown} error
 */
export function showError(container, error) {
  container.replaceChildren(h("p", { class: "error", role: "alert" }, ...explain(error)));
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
