import type { AppContext } from '../../platform/context.js';
import { jobOutputPath } from '../../platform/jobs/output.js';
import { callerForUser } from '../accounts/sessions.js';
import { exportResidents, type ResidentExportQuery } from './export.js';
import { importHouses } from './house-import.js';
import { importResidents } from './import.js';

export const residentImportJob = 'resident.import';
export const residentExportJob = 'resident.export';
export const houseImportJob = 'house.import';

/** People register jobs: import and export of residents, acting as the user who started them. */
export function registerPeopleJobs(ctx: AppContext) {
  ctx.jobs.register(residentImportJob, async (job, ctl) => {
    const { fileId, acceptPartial } = job.params as { fileId: string; acceptPartial?: boolean };
    const caller = await callerForUser(ctl.db, job.createdBy!);
    const file = (await ctx.files.find(ctl.db, fileId))!;
    let lastReport = 0;
    const result = await importResidents(ctx, caller, ctx.files.blobPath(file.sha256), {
      acceptPartial: acceptPartial ?? false,
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
    const day = new Date().toISOString().slice(0, 10);
    return { ...result, ...(result.rejectedFile ? { fileName: `未导入的居民-${day}.xlsx` } : {}) };
  });

  ctx.jobs.register(houseImportJob, async (job, ctl) => {
    const { fileId, acceptPartial } = job.params as { fileId: string; acceptPartial?: boolean };
    const caller = await callerForUser(ctl.db, job.createdBy!);
    const file = (await ctx.files.find(ctl.db, fileId))!;
    let lastReport = 0;
    const result = await importHouses(ctx, caller, ctx.files.blobPath(file.sha256), {
      acceptPartial: acceptPartial ?? false,
      rejectedPath: jobOutputPath(ctx.config.dataDir, job.id),
      onProgress: async (done, total) => {
        const now = Date.now();
        if (now - lastReport < 250 && done < total) return;
        lastReport = now;
        await ctl.progress(done, total);
      },
    });
    await ctl.progress(1000, 1000);
    const day = new Date().toISOString().slice(0, 10);
    return { ...result, ...(result.rejectedFile ? { fileName: `未导入的房屋-${day}.xlsx` } : {}) };
  });

  ctx.jobs.register(residentExportJob, async (job, ctl) => {
    const q = job.params as ResidentExportQuery;
    const caller = await callerForUser(ctl.db, job.createdBy!);
    const out = await exportResidents(ctx, caller, q, jobOutputPath(ctx.config.dataDir, job.id));
    await ctl.progress(out.rows, out.rows);
    const day = new Date().toISOString().slice(0, 10);
    return { ...out, fileName: `居民-${day}.xlsx` };
  });
}
