import { localDate } from '../../platform/calendar/local-time.js';
import type { AppContext } from '../../platform/context.js';
import { jobOutputPath } from '../../platform/jobs/output.js';
import { callerForUser } from '../accounts/sessions.js';
import { importDivisions } from './divisions.js';
import { type Exchanged, type ExchangeFormat, exportRows, importRows, readExchangeRows } from './exchange.js';

export const divisionImportJob = 'org.divisionImport';
export const orgImportJob = 'org.import';
export const orgExportJob = 'org.export';

const label: Record<Exchanged, string> = { grids: '网格', buildings: '楼栋' };

/** Org jobs: division import, grid/building import and export. All safe to run again after a crash. */
export function registerOrgJobs(ctx: AppContext) {
  ctx.jobs.register(divisionImportJob, async (job, ctl) => {
    const { province, scope } = job.params as { province: string; scope?: string };
    const result = await importDivisions(ctl.db, {
      province,
      scope,
      onProgress: (done, total) => ctl.progress(done, total),
    });
    return { ...result };
  });

  // Imports act as the user who started them: every row is authorised against their scope.
  ctx.jobs.register(orgImportJob, async (job, ctl) => {
    const { fileId, what, partial } = job.params as { fileId: string; what: Exchanged; partial?: boolean };
    const caller = await callerForUser(ctl.db, job.createdBy!);
    const file = (await ctx.files.find(ctl.db, fileId))!;
    const format: ExchangeFormat = file.mime === 'application/geo+json' ? 'geojson' : 'xlsx';
    // The import is one transaction: on PGlite a progress write from inside it would wait for it to
    // end, so progress is reported only when it is done (the file is at most maxExchangeRows rows).
    const rows = readExchangeRows(ctx.files.blobPath(file.sha256), what, format);
    const result = await importRows(ctx, caller, what, rows, { partial: partial ?? false });
    await ctl.progress(result.rows, result.rows);
    return { ...result };
  });

  ctx.jobs.register(orgExportJob, async (job, ctl) => {
    const q = job.params as { what: Exchanged; format: ExchangeFormat; orgUnitId?: string };
    const caller = await callerForUser(ctl.db, job.createdBy!);
    const rows = await exportRows(ctx, caller, q, jobOutputPath(ctx.config.dataDir, job.id));
    await ctl.progress(rows, rows);
    const day = localDate(new Date());
    return { rows, fileName: `${label[q.what]}-${day}.${q.format}` };
  });
}
