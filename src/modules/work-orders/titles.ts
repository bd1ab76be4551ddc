/** How long a title cut from a report's words may be (characters, after the category's name). */
export const titleLength = 24;

const sentenceEnd = /[。！？!?；;\n]/;
const trailing = /[\s，,、。！？!?；;：:…—\-（(【[“"‘']+$/u;

/**
 * A work order's title when the reporter gave none: the category's name and the report's first
 * sentence, cut at a clause boundary (never in a clause's trailing comma), with "…" when words were
 * left out. `category：…`, e.g. 供暖：家里暖气摸着只有温的…
 */
export function titleFromDescription(categoryName: string, description: string): string {
  const text = description.replace(/\s+/g, ' ').trim();
  const end = text.search(sentenceEnd);
  const first = (end >= 0 ? text.slice(0, end) : text).replace(trailing, '');
  if (!first) return categoryName;
  if (first.length <= titleLength) {
    const more = first.length < text.replace(trailing, '').length;
    return `${categoryName}：${first}${more ? '…' : ''}`;
  }
  // The longest run of whole clauses that fits; a single clause that does not fit is cut.
  const head = first.slice(0, titleLength + 1);
  const lastBreak = Math.max(...['，', ',', '、', ' ', '：'].map((c) => head.lastIndexOf(c)));
  const cut = lastBreak >= 8 ? head.slice(0, lastBreak) : first.slice(0, titleLength);
  return `${categoryName}：${cut.replace(trailing, '')}…`;
}
