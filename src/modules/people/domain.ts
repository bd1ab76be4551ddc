import type { Domain } from '../../platform/domains.js';
import { dropLeftoverStages } from './import.js';
import { registerPeopleJobs } from './jobs.js';

/** People runs its imports and exports as jobs; a server starting drops the stages of imports cut short. */
export const peopleDomain: Domain = {
  name: 'people',
  registerJobs: registerPeopleJobs,
  async serve(ctx) {
    // On PGlite this process is the only one: every stage left is an interrupted import's.
    const dropped = await dropLeftoverStages(ctx.db, ctx.database.driver === 'pglite');
    if (dropped.length) ctx.log.warn({ dropped }, 'dropped the staging tables of interrupted imports');
    return undefined;
  },
};
