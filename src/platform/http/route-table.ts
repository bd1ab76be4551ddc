import fp from 'fastify-plugin';
import type { App } from './types.js';

/** Collects every route with the action it declares; the coverage and matrix tests read it. */
export const routeTable = fp(async (app: App) => {
  app.decorate('routeTable', []);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      app.routeTable.push({
        method,
        url: route.url,
        action: route.config?.action,
        hasParams: route.url.includes(':'),
      });
    }
  });
});

/** Routes that must declare an action: the API and Open311, not the docs UI or the web app's files. */
export const needsAction = (url: string) =>
  (url.startsWith('/api/') || url.startsWith('/open311/')) && !url.startsWith('/api/docs');
