// "Drop a file to verify": the document is hashed here with WebCrypto; only its SHA-256 (and a batch
// proof file, which holds hashes only) is sent to the API.
import { gql } from "./api.js";
import { badge, formatTime, h, navigation, param, plainTimes, showError } from "./dom.js";

navigation("/verify.html");
const drop = document.querySelector("#drop");
const result = document.querySelector("#result");

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

async function verify(files) {
  result.replaceChildren(h("p", { class: "muted" }, "Hashing…"));
  try {
    let proof = null;
    let documentFile = null;
    for (const file of files) {
      if (proof === null && (await isProofFile(file))) proof = await file.text();
      else documentFile = file;
    }
    await showVerdict(documentFile === null ? null : await sha256(documentFile), proof, documentFile ? documentFile.name : "proof file", "SHA-256 computed in this browser: ");
  } catch (error) {
    showError(result, error);
  }
}

/** The verdict on `hash` (or on the proof's): the document's own file, or a hash a link gave. */
async function showVerdict(hash, proof, label, hashNote) {
  try {
    const { verifyDocument: verdict } = await gql(VERIFY, { hash, proof });
    const anchor = verdict.anchor;
    result.replaceChildren(
      h("p", { class: "verdict" }, badge(verdict.verdict), " ", label),
      h("p", { class: "muted" }, hashNote, h("code", { id: "hash" }, hash ?? "(no document file: the proof file's hash)")),
      h("ul", { class: "checks" }, verdict.checks.map((check) => h("li", { "data-check": check.name }, h("strong", {}, `${check.name} ${check.outcome}`), ` — ${plainTimes(check.reason)}`))),
      anchor
        ? h("dl", { class: "facts" },
            [["Document", `${anchor.kind} ${anchor.id ?? (anchor.batchRoot ? "(batch member)" : "(id not disclosed to you)")}${anchor.version ? ` version ${anchor.version}` : ""}`], ["Issuer", anchor.issuer], ["Status", anchor.status],
              ["Anchored", `${formatTime(anchor.anchoredAt)} in ${anchor.tx}`], ["Lots concerned", anchor.subjects.join(", ") || "—"],
              ...(anchor.current ? [["Current version", anchor.current]] : []), ...(anchor.batchRoot ? [["Batch root", anchor.batchRoot]] : []),
              // A document the caller may see (its id disclosed), anchored on its own: its page opens it.
              ...(anchor.id && !anchor.batchRoot ? [["Document page", h("a", { href: `/document.html?hash=${verdict.hash}`, id: "document-page" }, `open ${anchor.id}`)]] : [])]
              .flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]))
        : null,
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
  void verify([...event.dataTransfer.files]);
});
document.querySelector("#files").addEventListener("change", (event) => void verify([...event.target.files]));
// A link from another page (a finding's evidence) names the document by its hash: its status now, no file needed.
const linked = param("hash");
if (linked !== null) void showVerdict(linked, null, "document linked by its hash", "SHA-256 given by the link: ");
