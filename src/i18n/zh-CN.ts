import { accounts } from './zh-CN/accounts.js';
import { consoleText } from './zh-CN/console.js';
import { hotline } from './zh-CN/hotline.js';
import { mobile } from './zh-CN/mobile.js';
import { open311 } from './zh-CN/open311.js';
import { org } from './zh-CN/org.js';
import { party } from './zh-CN/party.js';
import { partyCheckIn } from './zh-CN/partyCheckIn.js';
import { partyConsole } from './zh-CN/partyConsole.js';
import { people } from './zh-CN/people.js';
import { platform } from './zh-CN/platform.js';
import { web } from './zh-CN/web.js';
import { workOrderStats } from './zh-CN/workOrderStats.js';
import { workOrders } from './zh-CN/workOrders.js';

/** 简体中文消息目录（源语言）：每个领域一个文件，键以领域名开头（error.*、org.*、people.* …）。 */
export const zhCN = {
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
} as const;
