import { can } from '../../platform/auth/authorize.js';
import { localDate } from '../../platform/calendar/local-time.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { forbidden, invalid } from '../../platform/errors.js';
import { jobOutputPath } from '../../platform/jobs/output.js';
import { callerForUser } from '../accounts/sessions.js';
import { findOrgUnit } from '../org/units.js';
import { exportResidents, type ResidentExportQuery, type ResidentExportRequest } from './export.js';
import { importHouses } from './house-import.js';
import { importResidents } from './import.js';

export const residentImportJob = 'resident.import';
export const residentExportJob = 'resident.export';
export const houseImportJob = 'house.import';

type Importer = (
  ctx: AppContext,
  caller: Caller,
  path: string,
  opts: {
    acceptPartial: boolean;
    createBuildings: boolean;
    rejectedPath: string;
    onProgress: (done: number, total: number) => Promise<void>;
  },
) => Promise<{ rejectedFile?: boolean }>;

/** A workbook import as a job: as the user who started it, with progress, and the rejected rows as its file. */
function registerImport(ctx: AppContext, kind: string, run: Importer, rejectedName: string) {
  ctx.jobs.register(kind, async (job, ctl) => {
    // `acceptPartial`: a job queued before the flag took its one name.
    const p = job.params as {
      fileId: string;
      partial?: boolean;
      acceptPartial?: boolean;
      createBuildings?: boolean;
    };
    const caller = await callerForUser(ctl.db, job.createdBy!);
    const file = (await ctx.files.find(ctl.db, p.fileId))!;
    let lastReport = 0;
    const result = await run(ctx, caller, ctx.files.blobPath(file.sha256), {
      acceptPartial: p.partial ?? p.acceptPartial ?? false,
      createBuildings: p.createBuildings ?? false,
      rejectedPath: jobOutputPath(ctx.config.dataDir, job.id),
      onProgress: async (done, total) => {
        // Progress is a write to the job row: a few a second is plenty.
        const now = Date.now();
        if (now - lastReport < 250 && done < total) return;
        lastReport = now;
        await ctl.progress(done, total);
      },
    });
    await ctl.progress(1000, 1000);
    const day = localDate(new Date());
    return { ...result, ...(result.rejectedFile ? { fileName: `${rejectedName}-${day}.xlsx` } : {}) };
  });
}

/** What an export job keeps: the request, and where it came from (the audit names the address). */
interface ExportParams extends ResidentExportRequest {
  requestedFrom: { ip: string | null; requestId: string | null };
}

/**
 * Queues an export. Unmasked needs `resident.exportPII` (a reason is checked by the route); the
 * caller's address goes with the job so the audit written when the file is ready can name it.
 */
export async function requestResidentExport(
  ctx: AppContext,
  caller: Caller,
  body: ResidentExportQuery & { unmasked?: boolean; reason?: string },
) {
  const { unmasked = false, reason, ...filters } = body;
  if (unmasked && !can(caller.user, 'resident.exportPII')) throw forbidden();
  const unit = filters.orgUnitId ? await findOrgUnit(ctx.db, filters.orgUnitId) : null;
  if (filters.orgUnitId && !unit) throw invalid('orgUnitId', '单位不存在');
  const params: ExportParams = {
    filters,
    unmasked,
    reason: unmasked ? (reason ?? null) : null,
    requestedFrom: { ip: caller.ip, requestId: caller.requestId },
  };
  return ctx.jobs.enqueue(ctx.db, {
    kind: residentExportJob,
    params: { ...params },
    createdBy: caller.user!.id,
    orgPath: unit?.path ?? null,
  });
}

/** People register jobs: import of residents and houses, export of residents. */
export function registerPeopleJobs(ctx: AppContext) {
  registerImport(ctx, residentImportJob, importResidents, '未导入的居民');
  registerImport(ctx, houseImportJob, importHouses, '未导入的房屋');

  ctx.jobs.register(residentExportJob, async (job, ctl) => {
    const p = job.params as unknown as ExportParams;
    const caller = {
      ...(await callerForUser(ctl.db, job.createdBy!)),
      ip: p.requestedFrom?.ip ?? null,
      requestId: p.requestedFrom?.requestId ?? null,
    };
    const out = await exportResidents(ctx, caller, p, jobOutputPath(ctx.config.dataDir, job.id));
    await ctl.progress(out.rows, out.rows);
    const day = localDate(new Date());
    return { ...out, fileName: `居民-${day}.xlsx` };
  });
}
