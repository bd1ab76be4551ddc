import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { fail, report, withContext } from '../../cli/common.js';
import { invalid } from '../../platform/errors.js';
import { findUserByUsername } from '../accounts/service.js';
import { callerForUser } from '../accounts/sessions.js';
import { importHotline } from './hotline.js';

/** `import hotline <file.xlsx>`: the 12345 workbook, imported as a named user (default: admin). */
export function registerHotlineCli(program: Command) {
  const imports =
    program.commands.find((c) => c.name() === 'import') ??
    program.command('import').description('导入数据 Import data');
  imports
    .command('hotline <file>')
    .description('导入 12345 工单表（.xlsx；按工单编号去重，重复导入只更新）Import a 12345 hotline workbook')
    .option('--json', 'print {imported, updated, rejected, errors:[{row, column, message}]} as JSON')
    .option('--accept-partial', 'import the good rows even if some rows have errors')
    .option('--user <username>', 'import as this user (their district and community place the rows)', 'admin')
    .action(async (file: string, opts: { json?: boolean; acceptPartial?: boolean; user: string }) => {
      try {
        const path = resolve(file);
        if (!existsSync(path)) throw invalid('file', `找不到文件 ${file}`);
        const result = await withContext(async (ctx) => {
          const u = await findUserByUsername(ctx.db, opts.user);
          if (!u) throw invalid('user', `找不到用户 ${opts.user}`);
          const caller = await callerForUser(ctx.db, u.id);
          return importHotline(ctx, caller, path, {
            acceptPartial: opts.acceptPartial,
            onProgress: opts.json
              ? undefined
              : (done, total) => void process.stderr.write(`\r${done}/${total}`),
          });
        });
        if (!opts.json) process.stderr.write('\n');
        report(opts.json, result, () =>
          [
            `新增 ${result.imported}，更新 ${result.updated}，拒绝 ${result.rejected}`,
            ...result.errors.map((e) => `  第 ${e.row} 行「${e.column}」：${e.message}`),
            ...(result.errors.length && !opts.acceptPartial && !result.imported && !result.updated
              ? ['有错误的行时整表不导入；改正后重试，或加 --accept-partial 只导入无误的行']
              : []),
          ].join('\n'),
        );
        if (result.errors.length) process.exitCode = 2;
      } catch (err) {
        fail(err);
      }
    });
}
