import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Files the process creates are its owner's alone (DATA_DIR holds the database, uploads, exports, the secret). */
export const ownerOnlyUmask = 0o077;

export interface DataDirCheck {
  /** Paths that others could read or write, and that we made owner-only. */
  fixed: string[];
  /** Paths others could read or write that belong to another user: left as they are. */
  foreign: string[];
}

/**
 * Walks DATA_DIR and takes group and other permissions off everything this process owns (a data
 * directory made before the umask was set, or copied in by hand). What belongs to another user is
 * reported, not touched. Symbolic links are not followed.
 */
export function secureDataDir(dataDir: string): DataDirCheck {
  const uid = process.getuid?.();
  const out: DataDirCheck = { fixed: [], foreign: [] };
  const stack = [dataDir];
  while (stack.length) {
    const path = stack.pop()!;
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(path);
    } catch {
      continue; // removed meanwhile
    }
    if (st.isSymbolicLink()) continue;
    if (st.mode & 0o077) {
      if (uid === undefined || st.uid === uid) {
        chmodSync(path, st.mode & 0o700);
        out.fixed.push(path);
      } else out.foreign.push(path);
    }
    if (st.isDirectory()) for (const name of readdirSync(path)) stack.push(join(path, name));
  }
  return out;
}
