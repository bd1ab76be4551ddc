import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { pickLocale, t } from '../../i18n/index.js';
import type { App } from './types.js';

export const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

const isApi = (url: string) => url.startsWith('/api') || url.startsWith('/open311');

/**
 * Serves the built web app: hashed assets cached for a year, index.html never cached, and any
 * unknown non-API GET answered with the app (client-side routes). Unknown API routes get JSON 404.
 */
export const webApp = fp(async (app: App, opts: { enabled: boolean }) => {
  const serve = opts.enabled && existsSync(webDist);
  if (serve) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: false,
      // The build writes .br/.gz beside each file (src/web/precompress.ts): sent as the client accepts.
      preCompressed: true,
      setHeaders(res, path) {
        res.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    if (serve && req.method === 'GET' && !isApi(req.url)) {
      const entry = req.url === '/m' || req.url.startsWith('/m/') ? 'm/index.html' : 'index.html';
      if (existsSync(`${webDist}/${entry}`)) return reply.header('cache-control', 'no-cache').sendFile(entry);
    }
    const locale = pickLocale(req.headers['accept-language']);
    return reply
      .status(404)
      .send({ code: 'ROUTE_NOT_FOUND', message: t('error.ROUTE_NOT_FOUND', undefined, locale) });
  });
});
