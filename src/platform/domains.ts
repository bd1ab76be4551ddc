import type { AppContext, ResolvedSession } from './context.js';

/**
 * What a domain module adds to a process. The platform runs these without knowing the domains;
 * the composition root (src/domains.ts) lists them, and each module says what it needs in its own
 * `domain.ts`.
 */
export interface Domain {
  name: string;
  /** Job kinds the domain runs, registered in every process (server, CLI, tests) so any can run a queued job. */
  registerJobs?(ctx: AppContext): void;
  /** Idempotent steps after migrating, run in the list's order (default rows, repairs of older data). */
  prepare?(ctx: AppContext): Promise<void>;
  /** Work the server does while it serves (not the CLI or tests); returns how to stop it. */
  serve?(ctx: AppContext): Promise<(() => void) | undefined>;
  /** The domain that keeps sessions says whom a token belongs to; authentication asks it through the context. */
  resolveSession?(ctx: AppContext, token: string): Promise<ResolvedSession>;
}

/** The one domain that resolves sessions: a process without one could authenticate nobody. */
export function sessionResolver(domains: readonly Domain[]): NonNullable<Domain['resolveSession']> {
  const owners = domains.filter((d) => d.resolveSession);
  if (owners.length !== 1)
    throw new Error(
      `exactly one domain must resolve sessions, found ${owners.map((d) => d.name).join(', ') || 'none'}`,
    );
  return owners[0].resolveSession!;
}

/** Starts every domain's serving work; the returned function stops it all, last started first. */
export async function serveDomains(ctx: AppContext, domains: readonly Domain[]): Promise<() => void> {
  const stops: Array<() => void> = [];
  for (const d of domains) {
    const stop = await d.serve?.(ctx);
    if (stop) stops.push(stop);
  }
  return () => {
    for (const stop of stops.reverse()) stop();
  };
}
