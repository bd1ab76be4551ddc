import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';
import type { App } from './types.js';

/** Security headers. The CSP allows the map tile host when one is configured, and blob: images for previews. */
export const security = fp(async (app: App) => {
  const tileOrigin = app.ctx.config.MAP_TILE_URL ? safeOrigin(app.ctx.config.MAP_TILE_URL) : null;
  await app.register(helmet, {
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
});

function safeOrigin(url: string): string | null {
  try {
    const u = new URL(url.replace(/\{[a-z]\}/g, 'a'));
    return `${u.protocol}//${u.host.replace(/^a\./, '*.')}`;
  } catch {
    return null;
  }
}
