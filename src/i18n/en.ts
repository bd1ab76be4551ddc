import { accounts } from './en/accounts.js';
import { consoleText } from './en/console.js';
import { hotline } from './en/hotline.js';
import { mobile } from './en/mobile.js';
import { open311 } from './en/open311.js';
import { org } from './en/org.js';
import { party } from './en/party.js';
import { partyCheckIn } from './en/partyCheckIn.js';
import { partyConsole } from './en/partyConsole.js';
import { people } from './en/people.js';
import { platform } from './en/platform.js';
import { web } from './en/web.js';
import { workOrderStats } from './en/workOrderStats.js';
import { workOrders } from './en/workOrders.js';
import type { zhCN } from './zh-CN.js';

/** English catalogue; a missing key falls back to zh-CN. */
export const en: Partial<Record<keyof typeof zhCN, string>> = {
  ...platform,
  ...web,
  ...org,
  ...people,
  ...mobile,
  ...workOrders,
  ...workOrderStats,
  ...open311,
  ...hotline,
  ...accounts,
  ...consoleText,
  ...party,
  ...partyCheckIn,
  ...partyConsole,
};
