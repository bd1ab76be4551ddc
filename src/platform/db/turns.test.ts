import { describe, expect, it } from 'vitest';
import { Turns } from './turns.js';

/** A loop of work whose every step resolves at once, as PGlite's queries do: it never lets I/O in by itself. */
async function busyLoop(steps: number, between: () => Promise<void>, log: string[]) {
  for (let i = 0; i < steps; i++) {
    await Promise.resolve();
    log.push(`step ${i}`);
    await between();
  }
}

describe('turns: long work gives way to requests', () => {
  it('lets pending I/O callbacks in between chunks', async () => {
    const log: string[] = [];
    setImmediate(() => log.push('request'));
    await busyLoop(3, () => new Turns(true).giveWay(), log);
    expect(log.indexOf('request')).toBe(1);
    const starved: string[] = [];
    setImmediate(() => starved.push('request'));
    await busyLoop(3, async () => {}, starved);
    expect(starved).toEqual(['step 0', 'step 1', 'step 2']);
  });

  it('waits on the embedded database while a request is being answered, and goes on when it is', async () => {
    const turns = new Turns(true, 60_000);
    turns.enter();
    let resumed = false;
    const waiting = turns.giveWay().then(() => {
      resumed = true;
    });
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(resumed).toBe(false);
    turns.leave();
    await waiting;
    expect(resumed).toBe(true);
    expect(turns.requestsInFlight).toBe(0);
  });

  it('never waits longer than its limit, and not at all on PostgreSQL', async () => {
    const capped = new Turns(true, 1);
    capped.enter();
    await capped.giveWay(); // resolves although the request never ends
    const server = new Turns(false, 60_000);
    server.enter();
    await server.giveWay();
    expect(server.requestsInFlight).toBe(1);
  });

  it('gives way in slices: not before the slice has run, then once', async () => {
    const turns = new Turns(true);
    const pause = turns.slices(60_000);
    const log: string[] = [];
    setImmediate(() => log.push('request'));
    await busyLoop(3, pause, log);
    expect(log).toEqual(['step 0', 'step 1', 'step 2']);
    const every = turns.slices(0);
    await busyLoop(2, every, log);
    expect(log).toContain('request');
  });
});
