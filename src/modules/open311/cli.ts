import type { Command } from 'commander';
import { fail, report, withContext } from '../../cli/common.js';
import { invalid } from '../../platform/errors.js';
import { findOrgUnitByCode } from '../org/units.js';
import { createKey } from './keys.js';

/** `open311 keys create --name <name>`: prints the new key (shown only this once). */
export function registerOpen311Cli(program: Command) {
  const keys = program
    .command('open311')
    .description('Open311 GeoReport v2 接口 Open311 API')
    .command('keys')
    .description('接口密钥 API keys');
  keys
    .command('create')
    .description('发放接口密钥（只显示这一次）Create an API key (printed once)')
    .requiredOption('--name <name>', 'who uses it, e.g. 城市随手拍 App')
    .option('--org <code>', 'org unit code whose communities address_string is matched in (default: all)')
    .option('--json')
    .action(async (opts: { name: string; org?: string; json?: boolean }) => {
      try {
        const key = await withContext(async (ctx) => {
          const unit = opts.org ? await findOrgUnitByCode(ctx.db, opts.org) : null;
          if (opts.org && !unit) throw invalid('org', `找不到组织编码 ${opts.org}`);
          return createKey(ctx, null, { name: opts.name, orgUnitId: unit?.id ?? null });
        });
        report(
          opts.json,
          key,
          () => `已发放「${key.name}」的接口密钥（只显示这一次，请妥善保存）：\n${key.key}`,
        );
      } catch (err) {
        fail(err);
      }
    });
}
