import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.js';
import { domains, openAppContext } from './domains.js';
import { ensureAdmin } from './modules/accounts/admin.js';
import { demoAccountLine } from './modules/demo/accounts.js';
import { seedDemo, shouldSeedDemo } from './modules/demo/seed.js';
import type { Config } from './platform/config.js';
import { ownerOnlyUmask, secureDataDir } from './platform/data-dir.js';
import { serveDomains } from './platform/domains.js';
import { webDist } from './platform/http/web.js';
import { every } from './platform/jobs/every.js';
import { sweepExports } from './platform/jobs/retention.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds the web app when its output is missing (first `npm start` on a fresh clone). */
export function ensureWebBuilt(log: (msg: string) => void) {
  if (existsSync(join(webDist, 'index.html'))) return;
  log('首次启动：正在构建前端… Building the web app (first start)…');
  const res = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'src/web/vite.config.ts'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (res.status !== 0) throw new Error('web build failed');
}

/** Starts everything: database + migrations, admin, demo data, jobs, HTTP. Stops cleanly on SIGINT/SIGTERM. */
export async function startServer(config: Config, opts: { buildWeb?: boolean } = {}) {
  process.umask(ownerOnlyUmask);
  if (opts.buildWeb !== false) ensureWebBuilt(console.log);
  const ctx = await openAppContext(config);
  const perms = secureDataDir(config.dataDir);
  if (perms.fixed.length)
    ctx.log.warn(
      { count: perms.fixed.length, examples: perms.fixed.slice(0, 5) },
      'data directory entries were readable or writable by others; made owner-only',
    );
  if (perms.foreign.length)
    ctx.log.warn(
      { count: perms.foreign.length, examples: perms.foreign.slice(0, 5) },
      'data directory entries owned by another user are readable or writable by others; fix them by hand',
    );
  const admin = await ensureAdmin(ctx);
  let demoAccounts: Awaited<ReturnType<typeof seedDemo>> | null = null;
  if (config.demo && (await shouldSeedDemo(ctx))) {
    console.log('首次启动：正在生成演示数据… Seeding demo data…');
    demoAccounts = await seedDemo(ctx, {});
  }
  const app = await buildApp(ctx, { serveWeb: true });
  const stopDomains = await serveDomains(ctx, domains);
  await ctx.jobs.start(ctx.database.driver === 'pglite');
  const sweep = () => sweepExports(ctx.db, config.dataDir, config.EXPORT_RETENTION_HOURS);
  await sweep();
  const stopExportSweep = every(10 * 60_000, ctx.log, 'export retention sweep', sweep);
  const address = await app.listen({ port: config.PORT, host: config.HOST });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    stopDomains();
    stopExportSweep();
    await ctx.jobs.stop();
    await ctx.database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  const url = address.replace('0.0.0.0', '127.0.0.1').replace('[::]', 'localhost');
  console.log(`\nGrassroots 基层治理一网通 ${url}  (数据库 ${ctx.database.driver})`);
  console.log(`  API 文档: ${url}/api/docs   移动端: ${url}/m/`);
  if (admin.password)
    console.log(`  管理员 admin 初始密码: ${admin.password}  (已写入 ${admin.file}，首次登录后请修改)`);
  else console.log('  管理员: admin（密码见 GRASSROOTS_ADMIN_PASSWORD 或 DATA_DIR/initial-admin-password）');
  if (demoAccounts?.length) {
    console.log('  演示账号 Demo accounts:');
    for (const a of demoAccounts) console.log(`    ${demoAccountLine(a)}`);
  }
  return { app, ctx, url };
}
