/** Just enough Markdown for the documentation tests: links outside code, and headings' anchors as GitHub makes them. */

export interface MarkdownLink {
  target: string;
  /** 1-based line of the link. */
  line: number;
}

/** The lines of `text` outside fenced code blocks, with inline code blanked out. */
function proseLines(text: string): Array<{ line: number; raw: string; prose: string }> {
  const lines: Array<{ line: number; raw: string; prose: string }> = [];
  let fence: string | undefined;
  text.split("\n").forEach((raw, index) => {
    const opening = /^\s*(`{3,}|~{3,})/.exec(raw)?.[1];
    if (opening !== undefined && (fence === undefined || opening.startsWith(fence))) {
      fence = fence === undefined ? opening : undefined;
      return;
    }
    if (fence === undefined) lines.push({ line: index + 1, raw, prose: raw.replace(/(`+)[^`]*?\1/g, (code) => " ".repeat(code.length)) });
  });
  return lines;
}

/**
 * Inline links and images `[text](target "title")`, whose text may wrap onto the next lines, and
 * reference definitions `[id]: target`.
 */
export function markdownLinks(text: string): MarkdownLink[] {
  // Prose only, line for line: fenced blocks become empty lines, so offsets still give line numbers.
  const prose = proseLines(text);
  const byLine = new Map(prose.map(({ line, prose: content }) => [line, content]));
  const lineCount = text.split("\n").length;
  const joined = Array.from({ length: lineCount }, (_, index) => byLine.get(index + 1) ?? "").join("\n");
  const lineAt = (offset: number) => joined.slice(0, offset).split("\n").length;
  const inline = [...joined.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)];
  const references = [...joined.matchAll(/^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)>?/gm)];
  return [...inline, ...references].map((match) => ({ target: match[1]!, line: lineAt(match.index) })).sort((a, b) => a.line - b.line);
}

/** The anchor GitHub gives a heading: its text lowercased, punctuation dropped, spaces as hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, "")
    .replace(/ /g, "-");
}

/** Every heading's anchor in `text`; a repeated heading gets -1, -2, … as on GitHub. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { raw } of proseLines(text)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(raw)?.[1];
    if (heading === undefined) continue;
    const slug = headingSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}
