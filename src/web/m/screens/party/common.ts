import { useCallback, useEffect, useState } from 'react';
import { getCached } from '../../api.js';
import { markUsable } from '../../ui.js';

/** The member's own record as GET /api/party/me gives it. */
export interface Own {
  id: string;
  name: string;
  partyOrgId: string;
  partyOrgName: string;
  balance: number;
}

export interface Line {
  id: string;
  kind: 'earned' | 'redeemed' | 'corrected' | 'expired';
  amount: number;
  memo: string;
  balanceAfter: number;
  createdAt: string;
}

export interface ShopItem {
  id: string;
  partyOrgName: string;
  name: string;
  price: number;
  stock: number;
  supplier: string | null;
}

export interface CatalogItem {
  id: string;
  category: string;
  name: string;
  points: number;
  capPerQuarter: number;
}

/**
 * One GET with the phone's offline fallback (the last saved answer, `stale`), its error, and a
 * reload; the first answer marks the screen usable.
 */
export function useLoad<T>(path: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [stale, setStale] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    if (!path) return Promise.resolve();
    return getCached<T>(path)
      .then((r) => {
        setData(r.data);
        setStale(r.stale);
        setError(null);
        requestAnimationFrame(markUsable);
      })
      .catch((err: Error) => setError(err.message));
  }, [path]);
  useEffect(() => {
    void load();
  }, [load]);
  return { data, stale, error, reload: load };
}

/** A day in Beijing time, `2026-12-07`. */
export const day = (iso: string) =>
  new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
