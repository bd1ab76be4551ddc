import type { AppContext } from '../../platform/context.js';
import { importDivisions } from './divisions.js';

export const divisionImportJob = 'org.divisionImport';

/** Division import as a job: progress per batch, idempotent, so a retry after a crash is harmless. */
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
}
