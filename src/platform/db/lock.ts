import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite takes no lock on its directory and two processes on one directory corrupt it,
 * so the server holds a lock file with its PID. A lock left by a dead process is taken over.
 */
export function acquireDirLock(dir: string): () => void {
  const file = join(dir, 'server.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(file);
        } catch {}
      };
    } catch (err: any) {
      if (err.code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new DirLockedError(
          `数据目录 ${dir} 正被另一个进程 (PID ${pid}) 使用。The data directory is in use by another process (PID ${pid}); stop it first.`,
        );
      }
      unlinkSync(file);
    }
  }
  throw new DirLockedError(`Could not lock ${dir}`);
}

export class DirLockedError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: any) {
    return err.code === 'EPERM';
  }
}
