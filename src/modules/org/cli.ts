import type { Command } from 'commander';
import { fail, report, withContext } from '../../cli/common.js';
import { importDivisions } from './divisions.js';

export function registerOrgCli(program: Command) {
  const divisions = program.command('divisions').description('行政区划 Administrative divisions (GB/T 2260)');
  divisions
    .command('import')
    .description('导入一个省（或其中一个盟市/旗县区）的区划，至嘎查村社区一级；可重复执行')
    .requiredOption('--province <code>', '2-digit province code, e.g. 15 (内蒙古自治区)')
    .option('--city <code>', 'only this city (4 digits) or district (6 digits)')
    .option('--json', 'print {created, updated, unchanged, byKind} as JSON')
    .action(async (opts: { province: string; city?: string; json?: boolean }) => {
      try {
        const started = Date.now();
        const result = await withContext((ctx) =>
          importDivisions(ctx.db, {
            province: opts.province,
            scope: opts.city,
            onProgress: opts.json
              ? undefined
              : (done, total) => void process.stderr.write(`\r${done}/${total}`),
          }),
        );
        if (!opts.json) process.stderr.write('\n');
        report(opts.json, result, () =>
          [
            `新增 ${result.created}，更新 ${result.updated}，未变 ${result.unchanged}（${((Date.now() - started) / 1000).toFixed(1)} 秒）`,
            `盟市 ${result.byKind.city}，旗县区 ${result.byKind.district}，苏木乡镇街道 ${result.byKind.street}，嘎查村社区 ${result.byKind.community}`,
          ].join('\n'),
        );
      } catch (err) {
        fail(err);
      }
    });
}
