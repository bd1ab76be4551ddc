import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

/** What waits to be sent. Each item carries the Idempotency-Key made when it was created. */
export type OutboxItem = {
  key: string;
  createdAt: number;
  /** Shown in lists while it waits (the category name, "评价" …). */
  title: string;
  /** The last refusal from the server (4xx): the item stays until the user removes it. */
  error?: string;
  photo?: Blob;
} & (
  | { kind: 'report'; fields: Record<string, string> }
  /** Staff intake (巡查上报): JSON to POST /api/work-orders, the photo uploaded first. */
  | { kind: 'intake'; fields: Record<string, unknown>; fileId?: string }
  | {
      kind: 'event';
      workOrderId: string;
      body: { type: string; [k: string]: unknown };
      /** Set once the photo is uploaded, so a retry does not upload it again. */
      fileId?: string;
    }
  /** A grid worker's household visit (走访): the photo uploaded first, then POST …/visits. */
  | {
      kind: 'visit';
      residentId: string;
      body: { visitedAt: string; notes: string; tagsAdded: string[]; tagsRemoved: string[] };
      fileId?: string;
    }
  /** A quick edit of a resident (phone, tags): PATCH, which is the same on a retry. */
  | { kind: 'resident'; residentId: string; body: { phone?: string | null; tags?: string[] } }
  /** 迁出 and the like: POST …/events; a retry finds the resident already moved out. */
  | { kind: 'lifeEvent'; residentId: string; body: { kind: 'moveOut'; date: string; note?: string } }
);

interface MobileDB extends DBSchema {
  outbox: { key: string; value: OutboxItem; indexes: { createdAt: number } };
  cache: { key: string; value: { at: number; data: unknown } };
}

let db: Promise<IDBPDatabase<MobileDB>> | null = null;
const open = () => {
  db ??= openDB<MobileDB>('grassroots-m', 1, {
    upgrade(d) {
      d.createObjectStore('outbox', { keyPath: 'key' }).createIndex('createdAt', 'createdAt');
      d.createObjectStore('cache');
    },
  });
  return db;
};

export async function outboxAll(): Promise<OutboxItem[]> {
  return (await open()).getAllFromIndex('outbox', 'createdAt');
}
export async function outboxPut(item: OutboxItem) {
  await (await open()).put('outbox', item);
}
export async function outboxDelete(key: string) {
  await (await open()).delete('outbox', key);
}

export async function cachePut(path: string, data: unknown) {
  try {
    await (await open()).put('cache', { at: Date.now(), data }, path);
  } catch {}
}
export async function cacheGet<T>(path: string): Promise<T | undefined> {
  try {
    return (await (await open()).get('cache', path))?.data as T | undefined;
  } catch {
    return undefined;
  }
}
export async function cacheClear() {
  await (await open()).clear('cache');
}
