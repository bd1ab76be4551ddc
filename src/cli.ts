#!/usr/bin/env node
import { Command, Option } from 'commander';
import { registerBackupCli } from './cli/backup.js';
import { fail, report, withContext } from './cli/common.js';
import { registerUsersCli } from './cli/users.js';
import { demoAccountLine } from './modules/demo/accounts.js';
import { seedDemo } from './modules/demo/seed.js';
import { registerOpen311Cli } from './modules/open311/cli.js';
import { registerOrgCli } from './modules/org/cli.js';
import { registerPeopleCli } from './modules/people/cli.js';
import { registerHotlineCli } from './modules/work-orders/hotline-cli.js';
import { loadConfig } from './platform/config.js';
import { ownerOnlyUmask } from './platform/data-dir.js';
import { startServer } from './server.js';
import { version } from './version.js';

// Everything written under DATA_DIR (database, uploads, exports) is the owner's alone.
process.umask(ownerOnlyUmask);

const program = new Command('grassroots')
  .description('Grassroots 基层治理一网通 — command line')
  .version(version)
  .showHelpAfterError();

program
  .command('serve')
  .description(
    '启动服务 Start the server (migrates, seeds the demo on first start, builds the web app if needed)',
  )
  .option('--no-build', 'do not build the web app even if it is missing')
  .action(async (opts: { build: boolean }) => {
    try {
      await startServer(loadConfig(), { buildWeb: opts.build });
    } catch (err) {
      fail(err);
    }
  });

program
  .command('migrate')
  .description('执行数据库迁移 Run database migrations')
  .action(async () => {
    try {
      await withContext(async () => console.log('迁移完成 migrations applied'));
    } catch (err) {
      fail(err);
    }
  });

const seed = program.command('seed').description('生成数据 Seed data');
seed
  .command('demo')
  .description('生成演示数据（确定性、可重复执行）Seed the demo (deterministic, idempotent)')
  .addOption(
    new Option('--scale <scale>', 'small (≈20k residents) or full (Dongsheng, 580k)')
      .choices(['small', 'full'])
      .default('small'),
  )
  .option('--json', 'print the demo accounts as JSON')
  .action(async (opts: { scale: 'small' | 'full'; json?: boolean }) => {
    try {
      const accounts = await withContext((ctx) =>
        seedDemo(ctx, { scale: opts.scale, log: opts.json ? undefined : (m) => console.error(m) }),
      );
      report(opts.json, accounts, () =>
        ['演示账号 Demo accounts:', ...accounts.map((a) => `  ${demoAccountLine(a)}`)].join('\n'),
      );
    } catch (err) {
      fail(err);
    }
  });

registerUsersCli(program);
registerOrgCli(program);
registerBackupCli(program);
registerOpen311Cli(program);
registerHotlineCli(program);
registerPeopleCli(program);

// Whatever escapes a command's own handling still ends as one line and a log, never a raw stack.
process.on('unhandledRejection', (err) => fail(err));
process.on('uncaughtException', (err) => fail(err));
await program.parseAsync(process.argv).catch(fail);
