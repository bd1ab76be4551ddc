import { sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { rowsOf } from '../../platform/db/index.js';
import { rebuildProjections } from '../work-orders/projection.js';
import { seconds } from './elapsed.js';
import { generateWorkOrders } from './work-orders-data.js';

/** Work orders in the demo: a year's worth for the demo district, up to today. */
export const demoWorkOrderCounts = { small: 3000, full: 100_000 } as const;

/** The demo district's year of work orders (seasonal mix, most closed, some overdue or unsatisfied); once. */
export async function seedDemoWorkOrders(
  ctx: AppContext,
  districtPath: string,
  scale: 'small' | 'full',
  log: (m: string) => void,
) {
  const [{ n }] = rowsOf<{ n: number }>(await ctx.db.execute(sql`select count(*)::int as n from work_order`));
  if (n > 0) return;
  const count = demoWorkOrderCounts[scale];
  const started = Date.now();
  const from = new Date(Date.now() - 372 * 86400_000);
  await ctx.db.transaction(async (tx) => {
    await generateWorkOrders(tx, districtPath, count, from);
    await rebuildProjections(tx);
  });
  log(`演示工单：${count} 件（近一年），${seconds(started)} 秒`);
}
