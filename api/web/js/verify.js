// "Drop a file to verify": the document is hashed here with WebCrypto; only its SHA-256 (and a batch
// proof file, which holds hashes only) is sent to the API. A verification link (a document's QR code)
// opens this page with the hash it names: the verdict shows without sign-in, from /verdicts/<hash>.
import { ApiError, getToken, gql, requestJson } from "./api.js";
import { badge, element, formatTime, h, ledgerText, navigation, param, plainTimes, showError } from "./dom.js";

navigation("/verify.html");
const drop = element("#drop", HTMLElement);
const result = element("#result", HTMLElement);
const filesInput = element("#files", HTMLInputElement);

const VERIFY = `query ($hash: String, $proof: String) { verifyDocument(hash: $hash, proof: $proof) {
  verdict hash checks { name outcome reason } anchor { id kind issuer status version current subjects batchRoot anchoredAt tx } } }`;

async function sha256(file) {
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return `0x${[...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

async function isProofFile(file) {
  if (file.size > 1_000_000 || !file.name.endsWith(".json")) return false;
  try {
    return JSON.parse(await file.text()).format === "tracegate-batch-proof";
  } catch {
    return false;
  }
}

/** What a verification link names: a document's hash and, for a batch member, its root and Merkle path. */
const linked = param("hash") === null ? null : { hash: param("hash"), batch: param("batch"), proof: param("proof") };

async function verify(files) {
  result.replaceChildren(h("p", { class: "muted" }, "Hashing…"));
  try {
    let proof = null;
    let documentFile = null;
    for (const file of files) {
      if (proof === null && (await isProofFile(file))) proof = await file.text();
      else documentFile = file;
    }
    const hash = documentFile === null ? null : await sha256(documentFile);
    const label = documentFile ? documentFile.name : "proof file";
    // Dropped on a linked verdict: first of all, is this file the document the link names?
    const match = linked !== null && hash !== null ? (verdict) => sameDocument(hash, linked.hash, verdict) : () => null;
    if (getToken())
      await showVerdict(() => gql(VERIFY, { hash, proof }).then((data) => data.verifyDocument), label, "SHA-256 computed in this browser: ", match);
    else await showVerdict(() => publicVerdict(anonymousTarget(hash, proof)), label, "SHA-256 computed in this browser: ", match);
  } catch (error) {
    showError(result, error);
  }
}

function sameDocument(hash, expected, verdict) {
  if (hash.toLowerCase() === expected.toLowerCase())
    return h("p", { class: "match ok", id: "match" }, "This file is the document the link names: its bytes hash to the linked SHA-256.");
  // A stamped copy carries its original's link (a file cannot carry its own hash) and is anchored itself.
  if (verdict.verdict === "VALID")
    return h(
      "p",
      { class: "match note", id: "match" },
      "This file is not the exact document the link names (a stamped copy, or another document), but it is anchored itself: its own verdict is below.",
    );
  return h(
    "p",
    { class: "match bad", id: "match", role: "alert" },
    "This file is NOT the document the link names: its bytes hash to another SHA-256. It was altered, or it is another file.",
  );
}

/** Without a token a proof file is verified by its hashes alone: the document's, the root and the path. */
function anonymousTarget(hash, proofText) {
  if (proofText === null) return { hash };
  const proof = JSON.parse(proofText);
  return { hash: proof.document.hash, batch: proof.batch.root, proof: proof.proof.join(","), fileHash: hash };
}

/** GET /verdicts/<hash>: the verdict for anyone; with a token, what the caller's role may see of it. */
async function publicVerdict(target) {
  if (target.fileHash && target.fileHash !== target.hash) {
    return {
      verdict: "INVALID",
      hash: target.fileHash,
      checks: [
        {
          name: "INTEGRITY",
          outcome: "FAILED",
          reason: `the file's SHA-256 is ${target.fileHash}, but the proof file is for ${target.hash}: this is not the document the proof was made for`,
        },
      ],
      anchor: null,
    };
  }
  const query = target.batch ? `?${new URLSearchParams({ batch: target.batch, proof: target.proof ?? "" })}` : "";
  const token = getToken();
  const { response, body } = await requestJson(`/verdicts/${encodeURIComponent(target.hash)}${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) throw new ApiError([{ message: body.error?.message ?? `HTTP ${response.status}`, extensions: { code: body.error?.code } }]);
  return { ...body, anchor: body.anchor ? { ...body.anchor, batchRoot: body.anchor.batch?.root ?? null, current: body.anchor.current ?? null } : null };
}

/**
 * The verdict `load` answers (the document's own file, or a hash a link gave), under what `match` says of it.
 * @param {() => Promise<any>} load
 * @param {string} label
 * @param {string} hashNote
 * @param {(verdict: any) => HTMLElement | null} match
 */
async function showVerdict(load, label, hashNote, match = () => null) {
  try {
    const verdict = await load();
    const hash = verdict.hash;
    const anchor = verdict.anchor;
    // replaceChildren would write a null as the text "null".
    result.replaceChildren(
      ...[
        match(verdict),
        h("p", { class: "verdict" }, badge(verdict.verdict), " ", label),
        h("p", { class: "muted" }, hashNote, h("code", { id: "hash" }, hash)),
        h(
          "ul",
          { class: "checks" },
          verdict.checks.map((check) =>
            h("li", { "data-check": check.name }, h("strong", {}, `${check.name} ${check.outcome}`), " — ", ledgerText(plainTimes(check.reason))),
          ),
        ),
        anchor
          ? h(
              "dl",
              { class: "facts" },
              [
                [
                  "Document",
                  `${anchor.kind} ${anchor.id ?? (anchor.batchRoot ? "(batch member)" : "(id not disclosed to you)")}${anchor.version ? ` version ${anchor.version}` : ""}`,
                ],
                ["Issuer", anchor.issuer],
                ["Status now", anchor.status],
                ["Anchored", `${formatTime(anchor.anchoredAt)} in ${anchor.tx}`],
                ["Lots concerned", anchor.subjects.join(", ") || (anchor.id || anchor.batchRoot ? "—" : "not disclosed to you")],
                ...(anchor.current ? [["Current version", anchor.current]] : []),
                ...(anchor.batchRoot ? [["Batch root", anchor.batchRoot]] : []),
                // A document the caller may see (its id disclosed), anchored on its own: its page opens it.
                ...(anchor.id && !anchor.batchRoot
                  ? [["Document page", h("a", { href: `/document.html?hash=${hash}`, id: "document-page" }, `open ${anchor.id}`)]]
                  : []),
              ].flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]),
            )
          : null,
      ].filter((child) => child !== null),
    );
  } catch (error) {
    showError(result, error);
  }
}

drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  void verify([...(event.dataTransfer?.files ?? [])]);
});
filesInput.addEventListener("change", () => void verify([...(filesInput.files ?? [])]));
// A link (a QR code, a finding's evidence) names the document by its hash: its status now, no file, no sign-in needed.
if (linked !== null) {
  element("#intro", HTMLElement).textContent =
    "The verdict on the document this link names. Holding the file? Drop it below: it is hashed here, in your browser, and checked against the link.";
  if (!getToken()) element("#signed-out", HTMLElement).hidden = false;
  // Scanned on a phone: the verdict first, the drop zone for a holder of the file after it.
  drop.before(result);
  void showVerdict(() => publicVerdict(linked), linked.batch ? "batch member named by the link" : "document named by the link", "SHA-256 given by the link: ");
}
