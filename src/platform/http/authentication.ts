import fp from 'fastify-plugin';
import { pickLocale } from '../../i18n/index.js';
import { authorize } from '../auth/authorize.js';
import { unauthenticated } from '../errors.js';
import { needsAction } from './route-table.js';
import type { App } from './types.js';

export const sessionCookie = 'gr_session';

/** The caller's token: the session cookie, or `Authorization: Bearer` for apps and scripts. */
function tokenOf(headers: Record<string, any>, cookies: Record<string, string | undefined>): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim() || null;
  return cookies[sessionCookie] ?? null;
}

/**
 * Runs before body parsing on every request: resolves the session into `req.caller` and enforces
 * the route's declared action (401 without a session, 403 when no role grants it). Scope checks on
 * the target record happen in the service, through `authorize`.
 */
export const authentication = fp(async (app: App) => {
  app.decorateRequest('caller', null as any);
  app.addHook('onRequest', async (req) => {
    req.caller = {
      user: null,
      ip: req.ip,
      requestId: String(req.id),
      locale: pickLocale(req.headers['accept-language']),
    };
    const action = req.routeOptions.config?.action;
    const url = req.routeOptions.url;
    if (!action) {
      // An API route without an action is a programming error: refuse rather than expose it.
      if (url && needsAction(url)) throw unauthenticated();
      return;
    }
    const token = tokenOf(req.headers, req.cookies ?? {});
    if (token) {
      const resolved = await app.ctx.resolveSession(token);
      if (resolved.user) req.caller.user = resolved.user;
      else if (action !== 'public')
        throw unauthenticated(resolved.expired ? 'error.SESSION_EXPIRED' : 'error.UNAUTHENTICATED');
    }
    if (action === 'public') return;
    if (!req.caller.user) throw unauthenticated();
    if (action !== 'authenticated') authorize(req.caller.user, action);
  });
});
