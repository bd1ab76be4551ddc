import fp from 'fastify-plugin';
import type { App } from './types.js';

const counted = Symbol('counted in turns');

/** Counts the requests being answered, so long jobs on the embedded database wait for them (db/turns.ts). */
export const requestTurns = fp(async (app: App) => {
  const turns = app.ctx.database.turns;
  app.addHook('onRequest', async (req) => {
    (req as unknown as Record<symbol, boolean>)[counted] = true;
    turns.enter();
  });
  const leave = async (req: object) => {
    const r = req as Record<symbol, boolean>;
    if (!r[counted]) return;
    r[counted] = false;
    turns.leave();
  };
  app.addHook('onResponse', leave);
  app.addHook('onRequestAbort', leave);
});
