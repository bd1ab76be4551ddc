import { getLocale, t } from './i18n.js';
import { cacheGet, cachePut } from './store.js';

/**
 * The mobile API client: the same cookie session as the console (set by POST /api/auth/login),
 * JSON or FormData bodies, server errors as ApiError. A network failure is status 0, which the
 * outbox reads as "try again later" and screens read as "show what we saved last time".
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
  get offline() {
    return this.status === 0;
  }
}

let onUnauthenticated: () => void = () => {};
export const setUnauthenticatedHandler = (fn: () => void) => {
  onUnauthenticated = fn;
};

export async function api<T = unknown>(
  path: string,
  init: {
    method?: string;
    json?: unknown;
    body?: FormData;
    headers?: Record<string, string>;
    /** A plain GET that can take the answer of a <link rel=preload> in index.html. */
    preloaded?: boolean;
  } = {},
): Promise<T> {
  const headers: Record<string, string> = init.preloaded
    ? {}
    : { 'accept-language': getLocale(), ...init.headers };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? (init.json !== undefined || init.body ? 'POST' : 'GET'),
      credentials: 'same-origin',
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', t('m.offline'));
  }
  const text = await res.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/api/auth/login')) onUnauthenticated();
    const detail = body?.fields?.[0]?.message;
    throw new ApiError(res.status, body?.code ?? 'HTTP', detail ?? body?.message ?? res.statusText);
  }
  return body as T;
}

const primed = new Map<string, Promise<unknown>>();
/**
 * Starts a GET now that a screen will ask for soon (its getCached picks the answer up), so that on a
 * 400 ms round trip the requests run side by side instead of one after the other.
 */
export function prime(path: string) {
  const p = api(path, { preloaded: true });
  // A refusal (say 401 before logging in) is not kept for the screen that asks after login.
  p.catch(() => {
    if (primed.get(path) === p) primed.delete(path);
  });
  primed.set(path, p);
}

/**
 * GET with a fallback: the answer is kept in IndexedDB, and when the network is gone the last saved
 * answer is returned (`stale: true`) so lists and details still open in a field without signal.
 */
export async function getCached<T>(path: string): Promise<{ data: T; stale: boolean }> {
  try {
    const early = primed.get(path);
    primed.delete(path);
    const data = (await (early ?? api<T>(path))) as T;
    void cachePut(path, data);
    return { data, stale: false };
  } catch (err) {
    if (err instanceof ApiError && err.offline) {
      const saved = await cacheGet<T>(path);
      if (saved !== undefined) return { data: saved, stale: true };
    }
    throw err;
  }
}
