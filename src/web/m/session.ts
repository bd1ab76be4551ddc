import { useSyncExternalStore } from 'react';
import { api, getCached, setUnauthenticatedHandler } from './api.js';
import { cacheClear, cachePut } from './store.js';

export interface Me {
  id: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'resident';
  permissions: string[];
  /** Signed in with a reset or generated password: only the change-password screen is shown. */
  mustChangePassword?: boolean;
  assignments: { role: string; orgUnitId: string | null; orgName: string | null }[];
}

let me: Me | null | undefined;
let asked = false;
const listeners = new Set<() => void>();
const set = (m: Me | null | undefined) => {
  me = m;
  for (const l of listeners) l();
};
setUnauthenticatedHandler(() => set(null));

/** Who is logged in. Offline, the last answer saved on the phone stands (the outbox sends later). */
export async function loadMe() {
  try {
    set((await getCached<Me>('/api/auth/me')).data);
  } catch {
    // Not logged in, or offline with nothing saved: the login screen.
    set(null);
  }
}

/** undefined while asking; an external store, so an answer that comes before the first render counts. */
export function useMe(): Me | null | undefined {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      if (!asked) {
        asked = true;
        void loadMe();
      }
      return () => listeners.delete(l);
    },
    () => me,
  );
}

export async function login(username: string, password: string) {
  const res = await api<{ user: Me }>('/api/auth/login', { json: { username, password } });
  await cacheClear();
  // Saved at once: the app must still know who this is when it is next opened without a network.
  await cachePut('/api/auth/me', res.user);
  set(res.user);
}

/** The new password is set: the server now allows everything this account's roles allow. */
export async function passwordChanged() {
  const fresh = await api<Me>('/api/auth/me');
  await cachePut('/api/auth/me', fresh);
  set(fresh);
}

export async function logout() {
  await api('/api/auth/logout', { method: 'POST' }).catch(() => {});
  await cacheClear();
  set(null);
}

export const can = (m: Me, action: string) => m.permissions.includes(action);
