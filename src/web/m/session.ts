import { useEffect, useState } from 'react';
import { api, getCached, setUnauthenticatedHandler } from './api.js';
import { cacheClear, cachePut } from './store.js';

export interface Me {
  id: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'resident';
  permissions: string[];
  assignments: { role: string; orgUnitId: string | null; orgName: string | null }[];
}

let me: Me | null | undefined;
const listeners = new Set<(m: Me | null | undefined) => void>();
const set = (m: Me | null | undefined) => {
  me = m;
  for (const l of listeners) l(m);
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

export function useMe(): Me | null | undefined {
  const [m, setM] = useState(me);
  useEffect(() => {
    listeners.add(setM);
    if (me === undefined) void loadMe();
    return () => {
      listeners.delete(setM);
    };
  }, []);
  return m;
}

export async function login(username: string, password: string) {
  const res = await api<{ user: Me }>('/api/auth/login', { json: { username, password } });
  await cacheClear();
  // Saved at once: the app must still know who this is when it is next opened without a network.
  await cachePut('/api/auth/me', res.user);
  set(res.user);
}

export async function logout() {
  await api('/api/auth/logout', { method: 'POST' }).catch(() => {});
  await cacheClear();
  set(null);
}

export const can = (m: Me, action: string) => m.permissions.includes(action);
