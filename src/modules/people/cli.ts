import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { fail, report, withContext } from '../../cli/common.js';
import { type AppContext, systemCaller } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { findOrgUnitByCode } from '../org/units.js';
import { importHouses } from './house-import.js';
import { importResidents, type ResidentImportResult } from './import.js';
import type { PlacementCounts } from './import-places.js';
import type { WorkbookImportResult } from './rejects.js';

/** How rows were placed (both imports), and the resident import's households. */
const placementLine = (r: PlacementCounts) =>
  `  按编码落位 ${r.placedByCode}，按地址落位 ${r.placedByAddress}${r.placedAtCommunity ? `（其中 ${r.placedAtCommunity} 行地址只写到社区，暂放社区第一个网格，请在房屋列表“待选网格”中选定网格）` : ''}${r.buildingsCreated ? `，新建楼栋 ${r.buildingsCreated}` : ''}`;
const householdLine = (r: ResidentImportResult) =>
  `  新建户 ${r.householdsCreated}，并入已有户 ${r.householdsJoined}${r.householdsWithoutHead ? `，无户主户 ${r.householdsWithoutHead}（户主行有误，请在户卡中做户主变更）` : ''}`;

const refuse = (path: string, message: string) =>
  new AppError('VALIDATION', 400, 'error.VALIDATION', undefined, [{ path, message }]);

function mustExist(file: string) {
  if (!existsSync(file)) throw refuse('file', `文件不存在：${file}`);
}

/** The subtree an import is limited to (`--org <code>`), or none. */
async function orgPath(ctx: AppContext, code: string | undefined) {
  if (!code) return null;
  const unit = await findOrgUnitByCode(ctx.db, code);
  if (!unit) throw refuse('org', `单位代码 ${code} 不存在`);
  return unit.path;
}

interface ImportOptions {
  acceptPartial: boolean;
  createBuildings: boolean;
  withinPath: string | null;
  rejectedPath?: string;
  onProgress?: (done: number, total: number) => void;
}
/** `import <what> <file.xlsx> [--org <code>] [--partial] [--rejected <out.xlsx>] [--json]`, with progress. */
function importCommand(
  imports: Command,
  what: string,
  description: string,
  run: (
    ctx: AppContext,
    file: string,
    opts: ImportOptions,
  ) => Promise<WorkbookImportResult & PlacementCounts>,
) {
  imports
    .command(`${what} <file>`)
    .description(description)
    .option('--org <code>', 'only places under this org unit (code)')
    .option('--partial', 'import the good rows even when some rows are wrong')
    .option(
      '--accept-partial',
      "the same as --partial (the 12345 import's former name, kept for one release)",
    )
    .option(
      '--create-buildings',
      'make the buildings addresses name that their community lacks (in its first grid)',
    )
    .option('--rejected <path>', 'write the rejected rows with a reason column to this xlsx')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        file: string,
        opts: {
          org?: string;
          partial?: boolean;
          acceptPartial?: boolean;
          createBuildings?: boolean;
          rejected?: string;
          json?: boolean;
        },
      ) => {
        try {
          mustExist(file);
          const started = Date.now();
          const result = await withContext(async (ctx) =>
            run(ctx, file, {
              acceptPartial: !!(opts.partial || opts.acceptPartial),
              createBuildings: !!opts.createBuildings,
              withinPath: await orgPath(ctx, opts.org),
              rejectedPath: opts.rejected,
              onProgress: opts.json
                ? undefined
                : (done, total) => void process.stderr.write(`\r${Math.floor((done / total) * 100)}%`),
            }),
          );
          if (!opts.json) process.stderr.write('\n');
          const seconds = (Date.now() - started) / 1000;
          report(opts.json, { ...result, seconds }, () =>
            [
              `${result.written ? '已导入' : '未导入（有错误，全部未写入；加 --partial 只导入无误的行）'}：共 ${result.rows} 行，新增 ${result.imported}，更新 ${result.updated}，未变 ${result.unchanged}，拒绝 ${result.rejected}（${seconds.toFixed(1)} 秒）`,
              placementLine(result),
              ...('householdsCreated' in result ? [householdLine(result as ResidentImportResult)] : []),
              ...result.errors.slice(0, 50).map((e) => `  第 ${e.row} 行 ${e.column}：${e.message}`),
              ...(result.errors.length > 50 ? [`  …… 另有 ${result.errors.length - 50} 条`] : []),
            ].join('\n'),
          );
          if (!result.written) process.exitCode = 2;
        } catch (err) {
          fail(err);
        }
      },
    );
}

/** `import residents …` and `import houses …`: the workbook imports from the command line. */
export function registerPeopleCli(program: Command) {
  const imports =
    program.commands.find((c) => c.name() === 'import') ??
    program.command('import').description('导入数据 Import data');
  importCommand(
    imports,
    'residents',
    '从 Excel 导入居民（按证件号码去重更新；默认任何一行有误则全部不导入）',
    (ctx, file, opts) => importResidents(ctx, systemCaller, file, opts),
  );
  importCommand(
    imports,
    'houses',
    '从 Excel 导入房屋（按楼栋单元房号或网格地址去重更新；默认任何一行有误则全部不导入）',
    (ctx, file, opts) => importHouses(ctx, systemCaller, file, opts),
  );
}
