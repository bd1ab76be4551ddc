import fp from 'fastify-plugin';
import { AppError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';

/** What a holder of a reset or generated password may still do: see who they are, change it, leave. */
export const allowedBeforePasswordChange = new Set([
  'GET /api/auth/me',
  'HEAD /api/auth/me',
  'POST /api/auth/password',
  'POST /api/auth/logout',
]);

/**
 * A password someone else knows (an administrator reset it, or the system generated it) is good for
 * one thing: choosing a new one. Runs after authentication has resolved the caller; public routes
 * stay public.
 */
export const passwordGate = fp(async (app: App) => {
  app.addHook('onRequest', async (req) => {
    if (!req.caller?.user?.mustChangePassword) return;
    const action = req.routeOptions.config?.action;
    if (!action || action === 'public') return;
    if (allowedBeforePasswordChange.has(`${req.method} ${req.routeOptions.url}`)) return;
    throw new AppError('PASSWORD_CHANGE_REQUIRED', 403, 'error.PASSWORD_CHANGE_REQUIRED');
  });
});
