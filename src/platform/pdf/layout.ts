/** Pure text layout for printable documents: CJK text breaks between any two characters, Latin words stay whole. */

export type Measure = (text: string) => number;

/** A token is one CJK character, a run of Latin letters/digits, or a run of spaces. */
function tokens(text: string): string[] {
  return text.match(/[A-Za-z0-9@._%+\-/:]+|\s+|./gsu) ?? [];
}

/** Closing punctuation that must not start a line (避头点): it stays with the character before it. */
const noLineStart = new Set([...'，。、；：？！）》」』】’”,.;:?!)]}…%']);

/**
 * Breaks `text` into lines no wider than `width`; a single token wider than a line is split by
 * character. Explicit newlines start a new line.
 */
export function wrapText(text: string, width: number, measure: Measure): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const token of tokens(paragraph)) {
      const candidate = line + token;
      if (measure(candidate) <= width || (line === '' && /^\s+$/.test(token))) {
        line = candidate;
        continue;
      }
      if (/^\s+$/.test(token)) {
        lines.push(line.trimEnd());
        line = '';
        continue;
      }
      if (noLineStart.has(token) && line.length > 1) {
        // carry the last character over so the punctuation does not open the next line
        lines.push(line.slice(0, -1));
        line = line.slice(-1) + token;
        continue;
      }
      if (line.trim() !== '') lines.push(line.trimEnd());
      line = '';
      if (measure(token) <= width) {
        line = token;
        continue;
      }
      for (const ch of token) {
        if (line !== '' && measure(line + ch) > width) {
          lines.push(line);
          line = '';
        }
        line += ch;
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
