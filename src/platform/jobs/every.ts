import type { FastifyBaseLogger } from 'fastify';

/**
 * Runs `task` every `everyMs` in the background, never two at once (a slow run skips the next
 * tick rather than piling up), logging a failure and trying again next time. Returns the stop.
 */
export function every(everyMs: number, log: FastifyBaseLogger, what: string, task: () => Promise<unknown>) {
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      await task();
    } catch (err) {
      log.warn({ err }, `${what} failed; will retry`);
    } finally {
      busy = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
