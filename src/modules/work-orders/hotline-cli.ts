import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { fail, report, withContext } from '../../cli/common.js';
import type { AppContext } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { ensureAdmin } from '../accounts/admin.js';
import { findUserByUsername } from '../accounts/service.js';
import { callerForUser } from '../accounts/sessions.js';
import { importHotline } from './hotline.js';

/**
 * Who the import runs as: the named user, or by default the system administrator — created now,
 * as the server's first start would, on a data directory that was seeded but never served.
 */
async function importer(ctx: AppContext, username: string | undefined) {
  if (username) {
    const u = await findUserByUsername(ctx.db, username);
    if (!u) throw invalid('--user', `没有用户名为 ${username} 的账号（可用 grassroots users create 创建）`);
    return callerForUser(ctx.db, u.id);
  }
  const made = await ensureAdmin(ctx);
  if (made.created)
    process.stderr.write(
      `已创建系统管理员 admin${made.file ? `，初始密码在 ${made.file}` : ''}；本次以 admin 导入\n`,
    );
  const admin = await findUserByUsername(ctx.db, 'admin');
  return callerForUser(ctx.db, admin!.id);
}

/** `import hotline <file.xlsx>`: the 12345 workbook, imported as a named user (default: admin). */
export function registerHotlineCli(program: Command) {
  const imports =
    program.commands.find((c) => c.name() === 'import') ??
    program.command('import').description('导入数据 Import data');
  imports
    .command('hotline <file>')
    .description('导入 12345 工单表（.xlsx；按工单编号去重，重复导入只更新）Import a 12345 hotline workbook')
    .option('--json', 'print {imported, updated, rejected, errors:[{row, column, message}]} as JSON')
    .option('--partial', 'import the good rows even when some rows are wrong')
    .option('--accept-partial', 'the former name of --partial (kept for one release)')
    .option(
      '--user <username>',
      'import as this user (their district and unit place the rows; default admin)',
    )
    .action(
      async (
        file: string,
        opts: { json?: boolean; partial?: boolean; acceptPartial?: boolean; user?: string },
      ) => {
        try {
          const partial = !!(opts.partial || opts.acceptPartial);
          const path = resolve(file);
          if (!existsSync(path)) throw invalid('file', `找不到文件 ${file}`);
          const result = await withContext(async (ctx) =>
            importHotline(ctx, await importer(ctx, opts.user), path, {
              acceptPartial: partial,
              onProgress: opts.json
                ? undefined
                : (done, total) => void process.stderr.write(`\r${done}/${total}`),
            }),
          );
          if (!opts.json) process.stderr.write('\n');
          report(opts.json, result, () =>
            [
              `新增 ${result.imported}，更新 ${result.updated}，拒绝 ${result.rejected}`,
              ...result.errors.map((e) => `  第 ${e.row} 行「${e.column}」：${e.message}`),
              ...(result.errors.length && !partial && !result.imported && !result.updated
                ? ['有错误的行时整表不导入；改正后重试，或加 --partial 只导入无误的行']
                : []),
            ].join('\n'),
          );
          if (result.errors.length) process.exitCode = 2;
        } catch (err) {
          fail(err);
        }
      },
    );
}
