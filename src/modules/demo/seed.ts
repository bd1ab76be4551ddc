import { count } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { orgUnit } from '../org/schema.js';
import { type DemoAccount, seedDemoAccounts } from './accounts.js';
import { seconds } from './elapsed.js';
import { seedDemoOrg } from './org.js';
import { seedDemoParty } from './party.js';
import { seedDemoPeople } from './people.js';
import { seedDemoWorkOrders } from './work-orders.js';

export interface SeedOptions {
  /** `full` builds Dongsheng at its real scale (for benchmarks); default is a small, quick demo. */
  scale?: 'small' | 'full';
  log?: (msg: string) => void;
}

/** A fresh database (no org units yet) gets the demo on first start. */
export async function shouldSeedDemo(ctx: AppContext): Promise<boolean> {
  const [row] = await ctx.db.select({ n: count() }).from(orgUnit);
  return row.n === 0;
}

/**
 * The demo: Dongsheng district (东胜区, 150602) with its real streets and communities, then each
 * domain's generated data. Deterministic (seeded random) and idempotent: running it again changes nothing.
 */
export async function seedDemo(ctx: AppContext, opts: SeedOptions): Promise<DemoAccount[]> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const org = await seedDemoOrg(ctx, log);
  await seedDemoPeople(ctx, org, opts.scale ?? 'small', log);
  await seedDemoWorkOrders(ctx, org.districtPath, opts.scale ?? 'small', log);
  const accounts = await seedDemoAccounts(ctx, org);
  await seedDemoParty(ctx, org, log);
  log(`演示数据完成，${seconds(started)} 秒`);
  return accounts;
}
