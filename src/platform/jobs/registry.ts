import { registerOrgJobs } from '../../modules/org/jobs.js';
import { registerPeopleJobs } from '../../modules/people/jobs.js';
import { registerHotlineJobs } from '../../modules/work-orders/hotline.js';
import type { AppContext } from '../context.js';

/** Each module that runs long work registers its job kinds here, so every process knows all of them. */
export function registerJobs(ctx: AppContext): void {
  registerOrgJobs(ctx);
  registerPeopleJobs(ctx);
  registerHotlineJobs(ctx);
}
