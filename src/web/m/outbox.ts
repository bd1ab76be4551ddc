import { useSyncExternalStore } from 'react';
import { ApiError, api } from './api.js';
import { type OutboxItem, outboxAll, outboxDelete, outboxPut } from './store.js';

/**
 * The offline outbox. Everything the user sends (reports, ratings, a grid worker's steps) is first
 * written to IndexedDB with its photo and an Idempotency-Key made once, then sent; what cannot be
 * sent now stays (待发送) and is sent when the connection returns, at start, or on the next try.
 * Closing the app loses nothing. A retry of a report or a step is a replay on the server (same key,
 * first result); a visit is matched by its time (set on the phone), a 迁出 by the resident's
 * status, and quick edits are PATCHes that land the same twice, so nothing doubles.
 */
let items: OutboxItem[] = [];
let loaded = false;
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

async function reload() {
  items = await outboxAll();
  loaded = true;
  emit();
}

export function useOutbox(): OutboxItem[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      if (!loaded) void reload();
      return () => listeners.delete(l);
    },
    () => items,
  );
}

export const newKey = () =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;

type NewItem = OutboxItem extends infer I
  ? I extends OutboxItem
    ? Omit<I, 'key' | 'createdAt'>
    : never
  : never;

/** Stores the item, then tries to send everything. Resolves with what became of this item. */
export async function enqueue(
  item: NewItem,
): Promise<{ key: string; sent: boolean; result?: { id: string }; error?: string }> {
  const full = { ...item, key: newKey(), createdAt: Date.now() } as OutboxItem;
  await outboxPut(full);
  await reload();
  let outcome = await flush();
  // A run already under way may have listed the outbox before this item was in it.
  if (!outcome.has(full.key)) outcome = await flush();
  return { key: full.key, sent: false, ...outcome.get(full.key) };
}

let running: Promise<Map<string, { sent: boolean; result?: { id: string }; error?: string }>> | null = null;
const onSent = new Set<(item: OutboxItem) => void>();
/** Called after an item reaches the server (screens refresh their lists). */
export function onItemSent(fn: (item: OutboxItem) => void): () => void {
  onSent.add(fn);
  return () => {
    onSent.delete(fn);
  };
}

/** Sends what waits, oldest first; stops at the first network failure. One run at a time. */
export function flush() {
  running ??= (async () => {
    const outcome = new Map<string, { sent: boolean; result?: { id: string }; error?: string }>();
    try {
      for (const item of await outboxAll()) {
        if (item.error) continue;
        try {
          const result = await send(item);
          await outboxDelete(item.key);
          outcome.set(item.key, { sent: true, result });
          for (const fn of onSent) fn(item);
        } catch (err) {
          if (!(err instanceof ApiError) || err.offline || err.status >= 500 || err.status === 401) break;
          if (err.status === 429) break;
          // Refused for good (400, 403, 409 …): keep it, show why, let the user remove it.
          await outboxPut({ ...item, error: err.message });
          outcome.set(item.key, { sent: false, error: err.message });
        }
      }
    } finally {
      running = null;
      await reload();
    }
    return outcome;
  })();
  return running;
}

/** Gives a refused item another go (after the user fixed the reason, e.g. logged in again). */
export async function retry(item: OutboxItem) {
  await outboxPut({ ...item, error: undefined });
  await flush();
}

export async function discard(item: OutboxItem) {
  await outboxDelete(item.key);
  await reload();
}

async function send(item: OutboxItem): Promise<{ id: string } | undefined> {
  const headers = { 'idempotency-key': item.key };
  if (item.kind === 'report') {
    const form = new FormData();
    for (const [k, v] of Object.entries(item.fields)) if (v !== '') form.append(k, v);
    if (item.photo) form.append('photo', item.photo, 'photo.jpg');
    return api<{ id: string }>('/api/work-orders/reports', { body: form, headers });
  }
  let fileId = 'fileId' in item ? item.fileId : undefined;
  if (item.photo && !fileId) {
    const form = new FormData();
    form.append('file', item.photo, 'photo.jpg');
    fileId = (await api<{ id: string }>('/api/files', { body: form })).id;
    await outboxPut({ ...item, fileId } as OutboxItem);
  }
  if (item.kind === 'resident') {
    await api(`/api/residents/${item.residentId}`, { method: 'PATCH', json: item.body, headers });
    return { id: item.residentId };
  }
  if (item.kind === 'lifeEvent') {
    try {
      await api(`/api/residents/${item.residentId}/events`, { json: item.body, headers });
    } catch (err) {
      // A retry of a 迁出 whose answer was lost is refused ("已迁出"): if so, it was ours.
      if (err instanceof ApiError && err.status === 400) {
        const r = await api<{ status: string }>(`/api/residents/${item.residentId}`);
        if (r.status !== 'active') return { id: item.residentId };
      }
      throw err;
    }
    return { id: item.residentId };
  }
  if (item.kind === 'visit') {
    // The visits endpoint keeps the Idempotency-Key: a resend after a lost answer returns that visit.
    const body = fileId ? { ...item.body, photoIds: [fileId] } : item.body;
    return api<{ id: string }>(`/api/residents/${item.residentId}/visits`, { json: body, headers });
  }
  if (item.kind === 'intake')
    return api<{ id: string }>('/api/work-orders', {
      json: fileId ? { ...item.fields, photoIds: [fileId] } : item.fields,
      headers,
    });
  const body = fileId ? { ...item.body, photoIds: [fileId] } : item.body;
  try {
    await api(`/api/work-orders/${item.workOrderId}/events`, { json: body, headers });
  } catch (err) {
    // The events endpoint keeps the Idempotency-Key: a retried step whose answer was lost returns
    // the first result. A server from before that refuses it as "already done" (409): if the
    // order shows the step happened, it was ours, and it counts as sent.
    if (err instanceof ApiError && err.status === 409 && (await alreadyDone(item)))
      return { id: item.workOrderId };
    throw err;
  }
  return { id: item.workOrderId };
}

async function alreadyDone(item: Extract<OutboxItem, { kind: 'event' }>) {
  const order = await api<{ status: string; rating: string | null }>(`/api/work-orders/${item.workOrderId}`);
  switch (item.body.type) {
    case 'rated':
      return order.rating !== null;
    case 'accepted':
      return order.status !== 'dispatched';
    case 'resolved':
      return order.status === 'resolved' || order.status === 'closed';
    default:
      return false;
  }
}

/** Sends when the connection returns, and now (at start). */
export function startOutbox() {
  window.addEventListener('online', () => void flush());
  // navigator.onLine can be wrong on flaky networks; retry now and then while something waits.
  setInterval(() => {
    if (items.length && items.some((i) => !i.error)) void flush();
  }, 30_000);
  void reload().then(() => flush());
}
