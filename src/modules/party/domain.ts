import type { Domain } from '../../platform/domains.js';
import { every } from '../../platform/jobs/every.js';
import { sweepProposals } from './proposals.js';

/** Party: the server proposes points from other work (随手拍 resolved, visits) for the recorders, every 10 minutes. */
export const partyDomain: Domain = {
  name: 'party',
  serve: async (ctx) => every(10 * 60_000, ctx.log, 'party points proposals', () => sweepProposals(ctx)),
};
