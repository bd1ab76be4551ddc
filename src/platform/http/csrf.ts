import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import { sessionCookie } from './authentication.js';
import type { App } from './types.js';

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether a request's `Origin` (or, without one, its `Sec-Fetch-Site`) says it came from another origin. */
/** (The host, not the scheme, is compared: behind a TLS proxy the server itself sees plain HTTP.) */
export function crossOrigin(headers: Record<string, unknown>, host: string): boolean {
  const origin = headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    try {
      const o = new URL(origin);
      return o.host !== host;
    } catch {
      return true;
    }
  }
  if (origin === 'null') return true;
  const site = headers['sec-fetch-site'];
  return typeof site === 'string' && site !== 'same-origin' && site !== 'none';
}

/**
 * Cross-site request forgery: the console's API speaks JSON (and multipart for uploads), so a
 * form-encoded or plain-text body — what a page elsewhere can post without asking — is refused on
 * /api; and a write carried by the session cookie must come from our own origin. Bearer-token
 * clients (the phone app, scripts) send no cookie a browser could attach; Open311 keeps its form
 * bodies and authenticates writes with an api_key.
 */
export const csrf = fp(async (app: App) => {
  app.addHook('onRequest', async (req) => {
    if (!unsafe.has(req.method) || !req.url.startsWith('/api/')) return;
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('text/plain'))
      throw new AppError('UNSUPPORTED_MEDIA', 415);
    const bearer = String(req.headers.authorization ?? '').startsWith('Bearer ');
    const cookie = String(req.headers.cookie ?? '').includes(`${sessionCookie}=`);
    if (bearer || !cookie) return;
    if (crossOrigin(req.headers, req.host)) throw new AppError('CROSS_ORIGIN', 403);
  });
});
