import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../platform/config.js';
import { openDatabase } from '../platform/db/index.js';
import { acquireDirLock } from '../platform/db/lock.js';
import { fail } from './common.js';

function hasTool(name: string) {
  return spawnSync(name, ['--version']).status === 0;
}

/**
 * PGlite: a gzip tarball of the data directory (server must be stopped: we take its lock).
 * PostgreSQL: pg_dump custom format / pg_restore, if the client tools are installed.
 */
export function registerBackupCli(program: Command) {
  program
    .command('backup <file>')
    .description('备份数据库 Back up the database to a file')
    .action(async (file: string) => {
      try {
        const config = loadConfig();
        if (config.DATABASE_URL) {
          if (!hasTool('pg_dump'))
            throw new Error('pg_dump 未安装：请安装 PostgreSQL 客户端 (apt-get install postgresql-client)');
          const res = spawnSync('pg_dump', ['-Fc', '-f', file, config.DATABASE_URL], { stdio: 'inherit' });
          if (res.status !== 0) throw new Error('pg_dump failed');
        } else {
          const database = await openDatabase({ dataDir: config.dataDir });
          const dump = await database.pglite!.dumpDataDir('gzip');
          await database.close();
          writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
        }
        console.log(`已备份到 ${file}`);
      } catch (err) {
        fail(err);
      }
    });

  program
    .command('restore <file>')
    .description('从备份恢复（覆盖当前数据）Restore from a backup, replacing the current data')
    .action(async (file: string) => {
      try {
        if (!existsSync(file)) throw new Error(`找不到备份文件 ${file}`);
        const config = loadConfig();
        if (config.DATABASE_URL) {
          if (!hasTool('pg_restore')) throw new Error('pg_restore 未安装：请安装 PostgreSQL 客户端');
          const res = spawnSync('pg_restore', ['--clean', '--if-exists', '-d', config.DATABASE_URL, file], {
            stdio: 'inherit',
          });
          if (res.status !== 0) throw new Error('pg_restore failed');
        } else {
          const release = acquireDirLock(config.dataDir);
          const live = join(config.dataDir, 'pglite');
          const staged = join(config.dataDir, 'pglite.restoring');
          rmSync(staged, { recursive: true, force: true });
          try {
            // Restore beside the live directory, then swap, so a failed restore leaves the old data intact.
            const database = await openDatabase({
              dataDir: staged,
              lock: false,
              loadDataDir: new Blob([readFileSync(file)]),
            });
            await database.close();
            const old = `${live}.old`;
            rmSync(old, { recursive: true, force: true });
            if (existsSync(live)) renameSync(live, old);
            renameSync(join(staged, 'pglite'), live);
            rmSync(staged, { recursive: true, force: true });
            rmSync(old, { recursive: true, force: true });
          } finally {
            release();
          }
        }
        console.log(`已从 ${file} 恢复`);
      } catch (err) {
        fail(err);
      }
    });
}
