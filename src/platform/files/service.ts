import { and, eq, isNull } from 'drizzle-orm';
import { can, grantsFor, pathWithin, type SessionUser } from '../auth/authorize.js';
import type { Caller } from '../context.js';
import type { Executor } from '../db/index.js';
import { forbidden, notFound } from '../errors.js';
import { file } from './schema.js';
import type { FileRow } from './store.js';

/**
 * May this user read this file? The uploader always may; anyone else only once the file is
 * attached to a record in their `file.read` subtree. Unknown and forbidden look the same (404).
 */
export function mayRead(user: SessionUser, row: FileRow): boolean {
  if (row.createdBy === user.id) return true;
  if (!row.ownerType || !can(user, 'file.read')) return false;
  return grantsFor(user, 'file.read').some(
    (a) => a.orgPath === null || (row.orgPath !== null && pathWithin(row.orgPath, a.orgPath)),
  );
}

export async function findReadable(ex: Executor, caller: Caller, id: string): Promise<FileRow> {
  const [row] = await ex.select().from(file).where(eq(file.id, id));
  if (!row || !caller.user || !mayRead(caller.user, row)) throw notFound();
  return row;
}

/**
 * Attaches uploaded files to a record: from then on they are readable by whoever may see that
 * place. Only the uploader's own, not yet attached files can be attached.
 */
export async function attachFiles(
  ex: Executor,
  caller: Caller,
  fileIds: string[],
  owner: { ownerType: string; ownerId: string; orgPath: string | null },
): Promise<void> {
  for (const id of fileIds) {
    const [row] = await ex
      .update(file)
      .set(owner)
      .where(and(eq(file.id, id), eq(file.createdBy, caller.user?.id ?? ''), isNull(file.ownerType)))
      .returning({ id: file.id });
    if (!row) throw forbidden();
  }
}

export function describeFile(row: FileRow) {
  return {
    id: row.id,
    mime: row.mime,
    size: row.size,
    name: row.name,
    width: row.width,
    height: row.height,
    url: `/api/files/${row.id}`,
    thumbnailUrl: row.mime.startsWith('image/') ? `/api/files/${row.id}/thumbnail` : null,
  };
}
