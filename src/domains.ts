import { accountsDomain } from './modules/accounts/domain.js';
import { notificationsDomain } from './modules/notifications/domain.js';
import { orgDomain } from './modules/org/domain.js';
import { partyDomain } from './modules/party/domain.js';
import { peopleDomain } from './modules/people/domain.js';
import { workOrdersDomain } from './modules/work-orders/domain.js';
import { type ContextOptions, openContext } from './platform/bootstrap.js';
import type { Config } from './platform/config.js';
import type { AppContext } from './platform/context.js';
import type { Domain } from './platform/domains.js';

/** Every domain a process is made of, in the order their start-up steps run. */
export const domains: readonly Domain[] = [
  accountsDomain,
  orgDomain,
  peopleDomain,
  workOrdersDomain,
  notificationsDomain,
  partyDomain,
];

/** The process-wide context with every domain's jobs and start-up steps: what the server, CLI, tests and benches open. */
export function openAppContext(config: Config, opts: ContextOptions = {}): Promise<AppContext> {
  return openContext(config, domains, opts);
}
