import fp from 'fastify-plugin';
import helmet from 'helmet';
import type { App } from './types.js';

/**
 * Security headers. The CSP allows the map tile host when one is configured, and blob: images for
 * previews. The header middleware is built once: @fastify/helmet built it again on every request
 * (parsing the CSP each time), a visible share of a busy server's CPU.
 */
export const security = fp(async (app: App) => {
  const tileOrigin = app.ctx.config.MAP_TILE_URL ? safeOrigin(app.ctx.config.MAP_TILE_URL) : null;
  const headers = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...(tileOrigin ? [tileOrigin] : [])],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (req, reply, done) =>
    headers(req.raw, reply.raw, (err) => done(err as Error | undefined)),
  );
});

function safeOrigin(url: string): string | null {
  try {
    const u = new URL(url.replace(/\{[a-z]\}/g, 'a'));
    return `${u.protocol}//${u.host.replace(/^a\./, '*.')}`;
  } catch {
    return null;
  }
}
