import type { Domain } from '../../platform/domains.js';
import { startDispatcher } from './service.js';

/** Notifications: the server sends what is queued. */
export const notificationsDomain: Domain = {
  name: 'notifications',
  serve: async (ctx) => startDispatcher(ctx),
};
