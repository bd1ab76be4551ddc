import type { Domain } from '../../platform/domains.js';
import { startDeadlineSweep } from './deadlines.js';
import { registerHotlineJobs } from './hotline.js';
import { ensureDefaultCategories } from './service.js';

/** Work orders: the default categories, the 12345 import job, and the server's deadline sweep. */
export const workOrdersDomain: Domain = {
  name: 'work-orders',
  registerJobs: registerHotlineJobs,
  prepare: (ctx) => ensureDefaultCategories(ctx.db),
  serve: async (ctx) => startDeadlineSweep(ctx),
};
