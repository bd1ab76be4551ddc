/**
 * The GeoReport v2 XML forms, written by hand: the documents are flat and few, and every value goes
 * through `escape` (which also drops the control characters XML 1.0 forbids).
 */
const singular: Record<string, string> = {
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
};

export function escapeXml(s: string): string {
  return Array.from(s)
    .filter((ch) => {
      const c = ch.codePointAt(0)!;
      return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c !== 0xfffe && c !== 0xffff);
    })
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function element(tag: string, value: unknown): string {
  if (value === null || value === undefined) return `<${tag}></${tag}>`;
  if (Array.isArray(value)) {
    const item = singular[tag] ?? 'item';
    return `<${tag}>${value.map((v) => element(item, v)).join('')}</${tag}>`;
  }
  if (typeof value === 'object')
    return `<${tag}>${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v))
      .join('')}</${tag}>`;
  return `<${tag}>${escapeXml(String(value))}</${tag}>`;
}

/** `<root><item>…</item>…</root>` for a list, `<root>…</root>` for one object. */
export function toXml(root: string, value: unknown, item?: string): string {
  const body = Array.isArray(value)
    ? `<${root}>${value.map((v) => element(item ?? 'item', v)).join('')}</${root}>`
    : element(root, value);
  return `<?xml version="1.0" encoding="utf-8"?>\n${body}\n`;
}
