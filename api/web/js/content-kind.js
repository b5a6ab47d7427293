// What decrypted document bytes are, judged from the bytes themselves (the ledger records no media
// type): the type to label a Blob with, a file extension, and whether the page may show them inline.
// Only PDF, raster images and text are shown; text is shown as text, so HTML or SVG never renders.

/** @type {(bytes: Uint8Array, prefix: string) => boolean} */
const startsWith = (bytes, prefix) => prefix.length <= bytes.length && [...prefix].every((character, index) => bytes[index] === character.charCodeAt(0));

/** @type {{ prefix: string, type: string, extension: string, view: "pdf" | "image", label: string }[]} */
const SIGNATURES = [
  { prefix: "%PDF-", type: "application/pdf", extension: "pdf", view: "pdf", label: "PDF" },
  { prefix: "\x89PNG\r\n\x1a\n", type: "image/png", extension: "png", view: "image", label: "PNG image" },
  { prefix: "\xff\xd8\xff", type: "image/jpeg", extension: "jpg", view: "image", label: "JPEG image" },
  { prefix: "GIF87a", type: "image/gif", extension: "gif", view: "image", label: "GIF image" },
  { prefix: "GIF89a", type: "image/gif", extension: "gif", view: "image", label: "GIF image" },
];

/** Largest text shown inline; larger text is offered for download only. */
const MAX_INLINE_TEXT = 2 * 1024 * 1024;

/**
 * What `bytes` are: a media type, a file extension, how the page may show them, a label, and the text itself for text.
 * @typedef {{ type: string, extension: string, view: "pdf" | "image" | "text" | null, label: string, text?: string }} ContentKind
 * @param {Uint8Array} bytes
 * @returns {ContentKind}
 */
export function contentKind(bytes) {
  if (bytes.length === 0) return { type: "application/octet-stream", extension: "bin", view: null, label: "empty file (0 bytes)" };
  const signature = SIGNATURES.find((candidate) => startsWith(bytes, candidate.prefix));
  if (signature) return { type: signature.type, extension: signature.extension, view: signature.view, label: signature.label };
  if (startsWith(bytes, "RIFF") && String.fromCharCode(...bytes.subarray(8, 12)) === "WEBP")
    return { type: "image/webp", extension: "webp", view: "image", label: "WebP image" };
  const text = asText(bytes);
  if (text === null) return { type: "application/octet-stream", extension: "bin", view: null, label: "binary file" };
  const json = isJson(text);
  return {
    type: "text/plain",
    extension: json ? "json" : "txt",
    view: bytes.length <= MAX_INLINE_TEXT ? "text" : null,
    label: json ? "JSON text" : "text",
    text,
  };
}

/**
 * UTF-8 without control characters other than tab, line and page breaks; null otherwise.
 * @param {Uint8Array} bytes
 */
function asText(bytes) {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this regex's job
    return /[\x00-\x08\x0b\x0e-\x1f\x7f]/.test(text) ? null : text;
  } catch {
    return null;
  }
}

/** @param {string} text */
function isJson(text) {
  try {
    JSON.parse(text);
    return /^\s*[[{]/.test(text);
  } catch {
    return false;
  }
}

/** A file name for the download: the issuer's document id (characters a file system takes) and the extension. */
/** @type {(id: string, kind: ContentKind) => string} */
export const fileName = (id, kind) => `${id.replace(/[^A-Za-z0-9._-]/g, "_")}.${kind.extension}`;
