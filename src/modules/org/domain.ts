import type { Domain } from '../../platform/domains.js';
import { registerOrgJobs } from './jobs.js';

/** Org runs the division, grid and building imports and exports as jobs. */
export const orgDomain: Domain = { name: 'org', registerJobs: registerOrgJobs };
