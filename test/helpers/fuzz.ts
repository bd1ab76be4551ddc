/**
 * Hostile input for the OpenAPI-driven fuzzing test: a seeded random source, values that have
 * broken servers before (NUL and control characters, lone surrogates, huge and empty strings,
 * SQL and ltree metacharacters, numbers and dates out of range, `__proto__`), and mutations of a
 * request that was valid, built from the operation's declared parameters and body schema.
 */

/** mulberry32: a small deterministic generator, so a failing case can be replayed. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    shuffle: <T>(xs: T[]): T[] => {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [xs[i], xs[j]] = [xs[j], xs[i]];
      }
      return xs;
    },
  };
}
export type Rng = ReturnType<typeof seeded>;

/** A stable seed per route, so adding a route does not change the cases of the others. */
export function seedOf(text: string, base = 20261207) {
  let h = base;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 2654435761) >>> 0;
  return h;
}

export const hostileStrings: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0001\u0007\b\u001b[31m\u007f',
  '\r\n\t',
  '😀👨‍👩‍👧‍👦🇨🇳',
  '\ud800',
  "' OR '1'='1' --",
  "'); drop table resident; --",
  '$1',
  '%_\\',
  'a.b.*{1,}|!@',
  '150602.*',
  '*',
  '<img src=x onerror=alert(1)>',
  '__proto__',
  'constructor',
  'x'.repeat(70_000),
  '9'.repeat(40),
  '-1',
  '1e309',
  'NaN',
  'null',
  '2026-02-30',
  '0000-01-01',
  '-2026-01-01',
  '275760-09-14T00:00:00Z',
  '2026-13-45T25:61:61+99:99',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-fffffffffffff',
];

export const hostileNumbers: readonly number[] = [
  -1, 0, 0.5, -2147483649, 2147483648, 9007199254740992, 1e308, -1e308, 1e-320,
];

export const wrongTypes: readonly unknown[] = [true, [], {}, null, 123, 'abc', [null], { a: { b: [1] } }];

/** Values that go into a URL: already percent-encoded, some deliberately malformed. */
export const hostileUrlValues: readonly string[] = [
  '%00',
  'a%00b',
  '%01%1B%7F',
  '%ED%A0%80',
  '%E0%A4%A',
  '%',
  '%25',
  '',
  '%20',
  encodeURIComponent("' OR '1'='1"),
  encodeURIComponent('a.b.*{1,}|!@'),
  encodeURIComponent('😀'),
  'x'.repeat(4000),
  '-1',
  '99999999999999999999',
  '1e309',
  '0000-01-01',
  '2026-02-30',
  '__proto__',
  '..%2F..%2Fetc%2Fpasswd',
  '00000000-0000-0000-0000-000000000000',
];

/** A hostile value for a field whose schema we know (its type decides what is "wrong"). */
export function hostileFor(schema: any, rng: Rng): unknown {
  const type = schemaType(schema);
  const r = rng.next();
  if (r < 0.5) return rng.pick(hostileStrings);
  if (r < 0.75)
    return type === 'number' || type === 'integer' ? rng.pick(hostileNumbers) : rng.pick(wrongTypes);
  if (r < 0.9) return rng.pick(hostileNumbers);
  return rng.pick(wrongTypes);
}

export function schemaType(schema: any): string | undefined {
  if (!schema) return undefined;
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((t: string) => t !== 'null');
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    const first = schema[k]?.map(schemaType).find(Boolean);
    if (first) return first;
  }
  if (schema.properties) return 'object';
  return undefined;
}

/** A plausible value for a schema, used where no fixture gives a valid request to start from. */
export function sampleFor(schema: any, depth = 0): unknown {
  if (!schema || depth > 4) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const k of ['anyOf', 'oneOf'])
    if (schema[k]) return sampleFor(schema[k].find((s: any) => s.type !== 'null') ?? schema[k][0], depth + 1);
  if (schema.allOf) return sampleFor(schema.allOf[0], depth + 1);
  switch (schemaType(schema)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of schema.required ?? []) out[k] = sampleFor(schema.properties?.[k], depth + 1);
      return out;
    }
    case 'array':
      return schema.minItems ? [sampleFor(schema.items, depth + 1)] : [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'uuid') return '0190a000-0000-7000-8000-000000000000';
      if (schema.format === 'date') return '2026-01-15';
      if (schema.format === 'date-time') return '2026-01-15T08:00:00+08:00';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 2));
    default:
      return null;
  }
}

/** Follows a local `$ref` in the document. */
export function deref(doc: any, schema: any): any {
  let s = schema;
  for (let i = 0; s?.$ref && i < 8; i++)
    s = s.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((o: any, k: string) => o?.[k], doc);
  return s;
}
