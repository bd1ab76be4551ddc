import fp from 'fastify-plugin';
import { invalid } from '../errors.js';
import type { App } from './types.js';

/** The first place in a parsed request that holds a NUL character (which PostgreSQL text cannot). */
export function nulAt(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || 'value' : null;
  if (!value || typeof value !== 'object' || depth > 32) return null;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return [...path, k.replaceAll('\u0000', '')].join('.') || 'value';
    const hit = nulAt(v, [...path, k], depth + 1);
    if (hit) return hit;
  }
  return null;
}

/**
 * Text that cannot be stored is refused at the edge, before any route sees it: a NUL in a path
 * parameter, the query or the body is a 400 naming where it is (never a database error and a 500).
 */
export const inputGuard = fp(async (app: App) => {
  app.addHook('preValidation', async (req) => {
    for (const [where, value] of [
      ['params', req.params],
      ['querystring', req.query],
      ['body', req.body],
    ] as const) {
      const hit = nulAt(value);
      if (hit) throw invalid(where === 'body' ? hit : `${where}.${hit}`, '不能包含空字符（\\u0000）');
    }
  });
});
