import { randomBytes } from 'node:crypto';
import { type Command, Option } from 'commander';
import { eq } from 'drizzle-orm';
import { assignRole, createUser, findUserByLogin, setPassword } from '../modules/accounts/service.js';
import { orgUnit } from '../modules/org/schema.js';
import { roles } from '../platform/auth/permissions.js';
import { invalid, notFound } from '../platform/errors.js';
import { fail, report, withContext } from './common.js';

export function registerUsersCli(program: Command) {
  const users = program.command('users').description('账号管理 Manage accounts');

  users
    .command('create')
    .description('创建工作人员账号 Create a staff account with one role at an org unit')
    .requiredOption('--username <username>')
    .requiredOption('--name <displayName>')
    .addOption(new Option('--role <role>').choices([...roles]).makeOptionMandatory())
    .option('--org <code>', 'org unit code the role applies to (omit for systemAdmin over everything)')
    .option(
      '--password <password>',
      'initial password (generated if omitted; must be changed at first login)',
    )
    .option('--json')
    .action(async (opts) => {
      try {
        const result = await withContext(async (ctx) => {
          const password = opts.password ?? `Gr${randomBytes(9).toString('base64url')}7`;
          return ctx.db.transaction(async (tx) => {
            let unit: typeof orgUnit.$inferSelect | undefined;
            if (opts.org) {
              [unit] = await tx.select().from(orgUnit).where(eq(orgUnit.code, opts.org));
              if (!unit) throw invalid('org', `找不到组织编码 ${opts.org}`);
            } else if (opts.role !== 'systemAdmin') throw invalid('org', '除系统管理员外必须指定 --org');
            const u = await createUser(tx, {
              username: opts.username,
              displayName: opts.name,
              password,
              mustChangePassword: !opts.password,
            });
            await assignRole(tx, {
              userId: u.id,
              role: opts.role,
              orgUnitId: unit?.id ?? null,
              orgPath: unit?.path ?? null,
            });
            return {
              username: u.username,
              password: opts.password ? undefined : password,
              role: opts.role,
              orgUnitCode: opts.org ?? null,
            };
          });
        });
        report(
          opts.json,
          result,
          () => `已创建 ${result.username}${result.password ? `，初始密码 ${result.password}` : ''}`,
        );
      } catch (err) {
        fail(err);
      }
    });

  users
    .command('reset-password <username>')
    .description(
      '重置密码 Reset a password (generated if --password is omitted; must be changed at next login)',
    )
    .option('--password <password>')
    .option('--json')
    .action(async (username: string, opts) => {
      try {
        const password = opts.password ?? `Gr${randomBytes(9).toString('base64url')}7`;
        await withContext(async (ctx) => {
          const u = await findUserByLogin(ctx, username);
          if (!u) throw notFound();
          await setPassword(ctx.db, u.id, password, !opts.password);
        });
        report(opts.json, { username, password }, () => `已重置 ${username} 的密码：${password}`);
      } catch (err) {
        fail(err);
      }
    });
}
