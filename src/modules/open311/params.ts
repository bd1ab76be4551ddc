import { parseDateTime } from '../work-orders/questions.js';

/**
 * Reading Open311 parameters as real clients send them: a form, a query string or a multipart body
 * where any name may come twice (then it is an array), `attribute[code]` names, dates with a raw
 * `+` turned into a space. Pure: no I/O.
 */

/** A GeoReport error: `[{code, description}]` with `code` the HTTP status. */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 413 | 415 | 429 | 500,
    readonly description: string,
  ) {
    super(description);
  }
}

export type Form = Record<string, unknown>;

/** One text value; a parameter sent twice where one is meant is refused, not half-read. */
export function str(form: Form, name: string, max: number): string | undefined {
  const v = form[name];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) throw new Open311Error(400, `${name} 只能提供一个值 (${name} given more than once)`);
  if (typeof v !== 'string' && typeof v !== 'number') throw new Open311Error(400, `${name} 格式不正确`);
  const s = String(v).trim();
  if (s.length > max) throw new Open311Error(400, `${name} 超过 ${max} 个字符`);
  return s || undefined;
}

/**
 * A list parameter: comma-separated (`a,b`), repeated (`x=a&x=b`), or both. Values are trimmed and
 * de-duplicated; more than `max` is refused.
 */
export function list(form: Form, name: string, max = 1000): string[] {
  const v = form[name];
  const raw = (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map((x) => {
    if (typeof x !== 'string' && typeof x !== 'number') throw new Open311Error(400, `${name} 格式不正确`);
    return String(x);
  });
  const items = [
    ...new Set(
      raw
        .flatMap((x) => x.split(','))
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (items.length > max) throw new Open311Error(400, `${name} 至多 ${max} 个`);
  if (items.some((s) => s.length > 100)) throw new Open311Error(400, `${name} 的值过长`);
  return items;
}

export function coordinate(form: Form, name: 'lat' | 'long', min: number, max: number) {
  const s = str(form, name, 30);
  if (s === undefined) return undefined;
  const n = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s) ? Number(s) : Number.NaN;
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Open311Error(400, `${name} 不是有效的 WGS-84 坐标`);
  return n;
}

/** A W3C date-time filter; 400 for anything that is not one (see parseDateTime). */
export function dateParam(form: Form, name: string): Date | undefined {
  const s = str(form, name, 40);
  if (!s) return undefined;
  const d = parseDateTime(s);
  if (!d)
    throw new Open311Error(
      400,
      `${name} 应为 1000–9999 年间存在的 W3C 日期时间，如 2026-11-20T00:00:00+08:00 (invalid ${name})`,
    );
  return d;
}

/**
 * A phone as the client gave it, tidied (control characters dropped, spaces collapsed) but never
 * refused: the spec's own example is `111111111`, and callers abroad have numbers of every shape.
 * A mainland mobile with +86 is kept in its local form, so it is found like any other.
 */
export function loosePhone(form: Form): string | undefined {
  const v = form.phone;
  const s = typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  const tidy = s
    ?.replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 40);
  if (!tidy) return undefined;
  const compact = tidy.replace(/[\s()-]/g, '');
  return /^(\+?86)?1\d{10}$/.test(compact) ? compact.slice(-11) : tidy;
}

/**
 * `attribute[code]` values by code: `attribute[code][]` and repeated names gather into arrays; a
 * JSON body's `attribute` object is read the same way.
 */
export function attributes(form: Form): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  const add = (code: string, v: unknown) => {
    const prev = out[code];
    out[code] =
      prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), ...(Array.isArray(v) ? v : [v])];
  };
  const nested = form.attribute;
  if (nested && typeof nested === 'object' && !Array.isArray(nested))
    for (const [k, v] of Object.entries(nested)) add(k, v);
  for (const [k, v] of Object.entries(form)) {
    const m = /^attribute\[([^\]]{1,40})\](\[\])?$/.exec(k);
    if (m) add(m[1], v);
  }
  return out;
}
