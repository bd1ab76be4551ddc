import type { Domain } from '../../platform/domains.js';
import { protectPhoneUsernames } from './phone-login.js';
import { resolveSession } from './sessions.js';

/** Accounts keep the sessions every request is authenticated by, and hide phones used as user names. */
export const accountsDomain: Domain = {
  name: 'accounts',
  prepare: async (ctx) => {
    await protectPhoneUsernames(ctx);
  },
  resolveSession,
};
