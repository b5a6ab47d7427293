// "Open and verify" on a document's page: the decrypted document, from where the viewer's private key
// lives. First this node (GET /documents/<hash>/content decrypts for the token's organisation when the
// node holds its key); if it does not hold it, in this browser from the key file the viewer chooses
// (envelope.js): the file is read here and no request carries it. Either way the bytes are hashed here,
// verified by their hash, and offered for download or view only if they are the anchored document.
import { getToken, gql } from "./api.js";
import { contentKind, fileName } from "./content-kind.js";
import { kindName } from "./document-kinds.js";
import { badge, explain, formatDate, h, ledgerText, messageOf, plainTimes } from "./dom.js";
import { EnvelopeError, openEnvelope, readPrivateKey } from "./envelope.js";

const VERIFY = `query ($hash: String!) { verifyDocument(hash: $hash) { verdict hash checks { name outcome reason } } }`;

/** The panel for `document` as `viewer` ({ org }). */
export function contentPanel(document, viewer) {
  const status = h("div", { class: "content-status", "aria-live": "polite" });
  const result = h("div", { id: "content" });
  const button = h("button", { type: "button", id: "open-document", onclick: () => void fromNode() }, "Open and verify");
  let blobUrl = null;

  function say(...children) {
    status.replaceChildren(...children);
  }
  function fail(message, ...more) {
    result.replaceChildren();
    say(h("p", { class: "error", role: "alert" }, message), ...more);
  }

  async function fromNode() {
    button.disabled = true;
    say(h("p", { class: "muted" }, "Decrypting…"));
    try {
      const response = await fetch(`/documents/${document.hash}/content`, { headers: { authorization: `Bearer ${getToken() ?? ""}` } });
      if (response.ok)
        return await show(
          new Uint8Array(await response.arrayBuffer()),
          `Decrypted on this TraceGate node with ${viewer.org}'s private key, which stays on the node.`,
        );
      const { error } = await response.json().catch(() => ({ error: { code: "HTTP", message: `the node answered HTTP ${response.status}` } }));
      if (error.code === "KEY_NOT_ON_NODE") return askForKey();
      if (error.code === "NOT_A_RECIPIENT")
        return fail(
          `Not shared with ${viewer.org}: ${document.issuer} did not encrypt this document for your organisation. Ask ${document.issuer} to share it.`,
        );
      fail(`The document could not be opened: ${error.message}`);
    } catch (error) {
      fail(h("span", {}, "The document could not be opened: ", ...explain(error)));
    } finally {
      button.disabled = false;
    }
  }

  function askForKey() {
    const input = h("input", { type: "file", id: "key-file", accept: ".pem", onchange: (event) => void inBrowser(event.target.files[0]) });
    say(
      h(
        "div",
        { class: "key-request" },
        h(
          "p",
          {},
          `This node does not hold ${viewer.org}'s private document key, so the document is decrypted here, in your browser. Choose your organisation's key file:`,
        ),
        h("label", {}, h("strong", {}, `${viewer.org}.private.pem `), input),
        h("p", { class: "muted" }, "The key file is read by this page only: it is never sent to the node or anywhere else."),
      ),
    );
  }

  async function inBrowser(keyFile) {
    if (!keyFile) return;
    result.replaceChildren();
    const retry = () => h("p", {}, h("button", { type: "button", class: "secondary", onclick: askForKey }, "Choose another key file"));
    try {
      const key = await readPrivateKey(keyFile.size > 64 * 1024 ? "" : await keyFile.text());
      const response = await fetch(`/ipfs/${encodeURIComponent(document.cid)}`);
      if (!response.ok) return fail(`The encrypted copy could not be fetched (HTTP ${response.status}): ${(await response.text()).trim()}`);
      const bytes = await openEnvelope(new Uint8Array(await response.arrayBuffer()), viewer.org, key);
      await show(bytes, `Decrypted in this browser with ${viewer.org}'s key file; the key was not sent.`);
    } catch (error) {
      const messages = {
        NOT_A_RECIPIENT: `it was not shared with ${viewer.org}: ask ${document.issuer} to share it.`,
        INVALID_KEY: `this file is not an X25519 private key: choose ${viewer.org}.private.pem, the key file TraceGate made for ${viewer.org}.`,
      };
      fail(`The document could not be opened: ${(error instanceof EnvelopeError ? messages[error.code] : undefined) ?? messageOf(error)}`, retry());
    }
  }

  /** The verdict on the decrypted bytes, then download and view, only for the anchored document. */
  async function show(bytes, where) {
    const hash = await sha256(bytes);
    if (hash !== document.hash) {
      return fail(
        `These bytes are not the anchored document: do not rely on them, and report it to ${document.issuer}.`,
        h(
          "p",
          { class: "muted" },
          "SHA-256 of the decrypted bytes: ",
          h("code", { id: "content-hash" }, hash),
          h("br"),
          "SHA-256 the ledger anchored: ",
          h("code", {}, document.hash),
        ),
      );
    }
    const { verifyDocument: verdict } = await gql(VERIFY, { hash });
    const kind = contentKind(bytes);
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    blobUrl = URL.createObjectURL(new Blob([bytes], { type: kind.view === "text" ? "text/plain" : kind.type }));
    say(h("p", { class: "where" }, where));
    button.hidden = true;
    result.replaceChildren(
      h("p", { class: "verdict" }, verdictBadge(verdict, document), " ", verdictText(verdict, document)),
      h("p", { class: "muted" }, "SHA-256 of the decrypted bytes, computed in this browser: ", h("code", { id: "content-hash" }, hash)),
      h(
        "ul",
        { class: "checks" },
        verdict.checks.map((check) =>
          h("li", { "data-check": check.name }, h("strong", {}, `${check.name} ${check.outcome}`), " — ", ledgerText(plainTimes(check.reason))),
        ),
      ),
      h(
        "p",
        {},
        h("a", { class: "download", href: blobUrl, download: fileName(document.id, kind), id: "download" }, `Download ${fileName(document.id, kind)}`),
        h("span", { class: "muted" }, ` ${kind.label}, ${bytes.length.toLocaleString("en")} bytes`),
      ),
      inlineView(kind, blobUrl),
    );
  }

  return h(
    "section",
    { class: "open-document" },
    h("h2", {}, "The document"),
    h(
      "p",
      { class: "muted" },
      `Decrypted where ${viewer.org}'s private key is: on this node if it holds it, otherwise in your browser from your key file. The key is never sent over the network.`,
    ),
    h("p", {}, button),
    status,
    result,
  );
}

function verdictBadge(verdict, document) {
  if (verdict.verdict === "VALID") return badge("VALID");
  return h("span", { class: `badge ${document.status === "SUPERSEDED" ? "warn" : "bad"}` }, document.status === "VALID" ? "INVALID" : document.status);
}

function verdictText(verdict, document) {
  const anchored = `${kindName(document.kind).toLowerCase()} ${document.id} version ${document.version}, anchored by ${document.issuer} on ${formatDate(document.anchoredAt)}`;
  if (verdict.verdict === "VALID") return `Valid: these bytes are ${anchored}.`;
  if (document.status === "REVOKED")
    return h(
      "span",
      {},
      `Revoked on ${formatDate(document.statusChangedAt)}: these bytes are ${anchored}, revoked since (“`,
      ledgerText(document.revocationReason),
      "”).",
    );
  if (document.status === "SUPERSEDED") {
    const current = document.versions.at(-1);
    const later =
      current && current.hash !== document.hash ? h("a", { href: `/document.html?hash=${current.hash}` }, `version ${current.version}`) : "a later version";
    return h("span", {}, `Superseded on ${formatDate(document.statusChangedAt)}: these bytes are ${anchored}; `, later, " replaces them.");
  }
  return h(
    "span",
    {},
    "Not valid: ",
    verdict.checks.filter((check) => check.outcome === "FAILED").flatMap((check, index) => [index > 0 ? "; " : null, ledgerText(plainTimes(check.reason))]),
  );
}

function inlineView(kind, url) {
  if (kind.view === "text") return h("pre", { class: "document-text" }, kind.text);
  if (kind.view === "image") return h("img", { class: "document-image", src: url, alt: "the decrypted document" });
  // Chromium refuses to show a PDF in a sandboxed frame; a blob typed application/pdf renders only in its PDF viewer.
  if (kind.view === "pdf") return h("iframe", { class: "document-pdf", src: url, title: "the decrypted document" });
  return h("p", { class: "muted" }, "This kind of file is not shown here: download it to open it.");
}

async function sha256(bytes) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return `0x${[...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
