import { existsSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../../src/platform/audit/schema.js';
import { rowsOf } from '../../src/platform/db/index.js';
import { attachFiles } from '../../src/platform/files/service.js';
import { jobOutputPath } from '../../src/platform/jobs/output.js';
import { sweepExports } from '../../src/platform/jobs/retention.js';
import { interruptedReason } from '../../src/platform/jobs/runner.js';
import ExcelJS from '../../src/platform/tabular/exceljs.js';
import { writeSheet } from '../../src/platform/tabular/xlsx.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { buildResident } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipartBody } from '../helpers/multipart.js';

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
});
afterAll(() => t.close());

const multipart = (name: string, type: string, bytes: Buffer) => multipartBody({}, [{ name, type, bytes }]);

const png = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: '#c00' } })
    .png()
    .toBuffer();
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('files', () => {
  it('stores an image by content, detects its type and makes a thumbnail', async () => {
    const worker = await buildUser(t, 'gridWorker', tree.grid);
    const body = multipart('photo.png', 'image/png', await png());
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      ...body,
      headers: { ...body.headers, ...worker.headers },
    });
    expect(res.statusCode).toBe(201);
    const f = res.json();
    expect(f).toMatchObject({ mime: 'image/png', width: 64, height: 48, name: 'photo.png' });
    const got = await t.app.inject({ url: f.url, headers: worker.headers });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    const thumb = await t.app.inject({ url: `${f.thumbnailUrl}?w=32`, headers: worker.headers });
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(thumb.rawPayload).metadata()).width).toBe(32);
  });

  it('refuses bytes that do not match the claimed type, and types that are not allowed', async () => {
    const h = await t.asAdmin();
    const lying = multipart('x.jpg', 'image/jpeg', pdf);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      ...lying,
      headers: { ...lying.headers, ...h },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('FILE_TYPE_MISMATCH');
    const text = multipart('x.png', 'image/png', Buffer.from('just some text, not a picture'));
    const res2 = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      ...text,
      headers: { ...text.headers, ...h },
    });
    expect(res2.statusCode).toBe(400);
    expect(res2.json().code).toBe('UNSUPPORTED_MEDIA');
  });

  it('refuses files over the size limit with 413', async () => {
    const h = await t.asAdmin();
    const big = multipart(
      'big.pdf',
      'application/pdf',
      Buffer.concat([pdf, Buffer.alloc(t.ctx.config.UPLOAD_MAX_BYTES + 10)]),
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      ...big,
      headers: { ...big.headers, ...h },
    });
    expect(res.statusCode).toBe(413);
  });

  it('shows a file to others only once attached to a record in their subtree', async () => {
    const uploader = await buildUser(t, 'gridWorker', tree.grid);
    const colleague = await buildUser(t, 'communityWorker', tree.community);
    const outsider = await buildUser(t, 'communityWorker', tree.farCommunity);
    const body = multipart('p.png', 'image/png', await png());
    const f = (
      await t.app.inject({
        method: 'POST',
        url: '/api/files',
        ...body,
        headers: { ...body.headers, ...uploader.headers },
      })
    ).json();
    expect((await t.app.inject({ url: f.url, headers: colleague.headers })).statusCode).toBe(404);
    const caller = {
      user: {
        ...uploader.user,
        kind: 'staff' as const,
        assignments: [],
        actingAssignmentId: null,
        sessionId: '',
      },
      ip: null,
      requestId: null,
      locale: 'zh-CN' as const,
    };
    await attachFiles(t.ctx.db, caller, [f.id], { ownerType: 'test', ownerId: 'x', orgPath: tree.grid.path });
    expect((await t.app.inject({ url: f.url, headers: colleague.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ url: f.url, headers: outsider.headers })).statusCode).toBe(404);
  });
});

describe('jobs', () => {
  it('runs a job with progress, shows it to its creator only, and records failures', async () => {
    const worker = await buildUser(t, 'communityWorker', tree.community);
    const other = await buildUser(t, 'communityWorker', tree.farCommunity);
    t.ctx.jobs.register('test.count', async (job, ctl) => {
      const n = Number(job.params.n);
      for (let i = 1; i <= n; i++) await ctl.progress(i, n);
      return { counted: n };
    });
    t.ctx.jobs.register('test.fail', async () => {
      throw new Error('boom');
    });
    const ok = await t.ctx.jobs.enqueue(t.ctx.db, {
      kind: 'test.count',
      params: { n: 3 },
      createdBy: worker.user.id,
    });
    const bad = await t.ctx.jobs.enqueue(t.ctx.db, { kind: 'test.fail', createdBy: worker.user.id });
    await t.ctx.jobs.runUntilIdle();
    const got = (await t.app.inject({ url: `/api/jobs/${ok.id}`, headers: worker.headers })).json();
    expect(got).toMatchObject({
      status: 'succeeded',
      progressDone: 3,
      progressTotal: 3,
      percent: 100,
      result: { counted: 3 },
    });
    expect(
      (await t.app.inject({ url: `/api/jobs/${bad.id}`, headers: worker.headers })).json(),
    ).toMatchObject({ status: 'failed', error: 'boom' });
    expect((await t.app.inject({ url: `/api/jobs/${ok.id}`, headers: other.headers })).statusCode).toBe(404);
    const list = (await t.app.inject({ url: '/api/jobs?status=failed', headers: worker.headers })).json();
    expect(list.items.map((j: any) => j.id)).toEqual([bad.id]);
  });

  it('cancels a queued job, and a finished one cannot be cancelled', async () => {
    const worker = await buildUser(t, 'communityWorker', tree.community);
    const queued = await t.ctx.jobs.enqueue(t.ctx.db, {
      kind: 'test.count',
      params: { n: 1 },
      createdBy: worker.user.id,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/jobs/${queued.id}/cancel`,
      headers: worker.headers,
    });
    expect(res.json().status).toBe('cancelled');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/jobs/${queued.id}/cancel`,
      headers: worker.headers,
    });
    expect(again.statusCode).toBe(409);
  });

  it('streams an export job’s workbook to the user who started it, and to no one else', async () => {
    const worker = await buildUser(t, 'communityWorker', tree.community);
    const secretary = await buildUser(t, 'communitySecretary', tree.community);
    t.ctx.jobs.register('test.export', async (job) => {
      const rows = await writeSheet(
        jobOutputPath(t.ctx.config.dataDir, job.id),
        '名单',
        [{ header: '姓名', value: (r: string) => r }],
        ['其其格', '巴特尔'],
      );
      return { fileName: '居民名单.xlsx', rows };
    });
    const exported = await t.ctx.jobs.enqueue(t.ctx.db, {
      kind: 'test.export',
      createdBy: worker.user.id,
      orgPath: tree.community.path,
    });
    const url = `/api/jobs/${exported.id}/download`;
    // Not finished yet: nothing to download.
    expect((await t.app.inject({ url, headers: worker.headers })).statusCode).toBe(404);
    await t.ctx.jobs.runUntilIdle();
    const res = await t.app.inject({ url, headers: worker.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('居民名单.xlsx')}`,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as any);
    expect(wb.worksheets[0].getColumn(1).values.slice(1)).toEqual(['姓名', '其其格', '巴特尔']);
    // The secretary may watch the job's progress in their community, but not take its data.
    expect(
      (await t.app.inject({ url: `/api/jobs/${exported.id}`, headers: secretary.headers })).statusCode,
    ).toBe(200);
    expect((await t.app.inject({ url, headers: secretary.headers })).statusCode).toBe(404);
  });

  it('deletes an export once downloaded, and one never downloaded after the retention period (410 saying why)', async () => {
    const worker = await buildUser(t, 'communityWorker', tree.community);
    t.ctx.jobs.register('test.idList', async (job) => {
      const rows = await writeSheet(
        jobOutputPath(t.ctx.config.dataDir, job.id),
        '名单',
        [{ header: '身份证号', value: (r: string) => r }],
        ['150602200808100018'],
      );
      return { fileName: '名单.xlsx', rows };
    });
    const downloaded = await t.ctx.jobs.enqueue(t.ctx.db, { kind: 'test.idList', createdBy: worker.user.id });
    const kept = await t.ctx.jobs.enqueue(t.ctx.db, { kind: 'test.idList', createdBy: worker.user.id });
    await t.ctx.jobs.runUntilIdle();
    const path = jobOutputPath(t.ctx.config.dataDir, downloaded.id);
    const url = `/api/jobs/${downloaded.id}/download`;
    expect((await t.app.inject({ url, headers: worker.headers })).statusCode).toBe(200);
    expect(existsSync(path)).toBe(false);
    const again = await t.app.inject({ url, headers: worker.headers });
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({
      code: 'EXPORT_GONE',
      message: '该文件已下载过，为保护个人信息下载后即已删除；如需再次获取，请重新导出',
    });

    // Within the retention period the sweep leaves it; past it, the file is gone.
    const hours = t.ctx.config.EXPORT_RETENTION_HOURS;
    expect(hours).toBe(24);
    expect(
      await sweepExports(t.ctx.db, t.ctx.config.dataDir, hours, Date.now() + (hours - 1) * 3600_000),
    ).toBe(0);
    expect(
      await sweepExports(t.ctx.db, t.ctx.config.dataDir, hours, Date.now() + (hours + 1) * 3600_000),
    ).toBe(1);
    expect(existsSync(jobOutputPath(t.ctx.config.dataDir, kept.id))).toBe(false);
    const expired = await t.app.inject({ url: `/api/jobs/${kept.id}/download`, headers: worker.headers });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().message).toBe('该文件已超过 24 小时保留期，为保护个人信息已删除；请重新导出');
  });

  it('fails a job its process died running, with the reason, and never runs it again', async () => {
    const ran: string[] = [];
    t.ctx.jobs.register('test.once', async (job) => {
      ran.push(job.id);
      return {};
    });
    const stuck = await t.ctx.jobs.enqueue(t.ctx.db, { kind: 'test.once' });
    // As the process left it when it died: claimed (one attempt), running.
    await t.ctx.db.execute(sql`update job set status = 'running', attempts = 1 where id = ${stuck.id}`);
    await t.ctx.jobs.start(true);
    await t.ctx.jobs.stop();
    await t.ctx.jobs.runUntilIdle();
    const [row] = rowsOf<any>(
      await t.ctx.db.execute(
        sql`select status, attempts, error, finished_at from job where id = ${stuck.id}`,
      ),
    );
    expect(row).toMatchObject({ status: 'failed', attempts: 1, error: interruptedReason });
    expect(row.finished_at).not.toBeNull();
    expect(ran).toEqual([]);
  });

  it('stops a running job at its next chunk when cancelled, and marks it cancelled', async () => {
    const worker = await buildUser(t, 'communityWorker', tree.community);
    const chunks: number[] = [];
    let answer: any = null;
    t.ctx.jobs.register('test.chunks', async (job, ctl) => {
      for (let i = 1; i <= 5; i++) {
        chunks.push(i);
        // The user presses 取消 while the second chunk is being worked on.
        if (i === 2)
          answer = await t.app.inject({
            method: 'POST',
            url: `/api/jobs/${job.id}/cancel`,
            headers: worker.headers,
          });
        await ctl.progress(i, 5);
      }
      return { chunks: 5 };
    });
    const running = await t.ctx.jobs.enqueue(t.ctx.db, { kind: 'test.chunks', createdBy: worker.user.id });
    await t.ctx.jobs.runUntilIdle();
    expect(answer.statusCode).toBe(200);
    expect(answer.json().status).toBe('running');
    expect(chunks).toEqual([1, 2]);
    const got = (await t.app.inject({ url: `/api/jobs/${running.id}`, headers: worker.headers })).json();
    expect(got).toMatchObject({ status: 'cancelled', progressDone: 2, result: null });
    expect(got.finishedAt).not.toBeNull();
  });
});

describe('audit', () => {
  it('records logins and lists them for auditors, filtered', async () => {
    const h = await t.asAdmin();
    const res = await t.app.inject({ url: '/api/audit-events?action=auth.login&pageSize=5', headers: h });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBeGreaterThan(0);
    expect(body.items.every((e: any) => e.action === 'auth.login')).toBe(true);
  });

  it('names the action, the person (name and role) and the record in Chinese, never a raw key or id', async () => {
    const secretary = await buildUser(t, 'communitySecretary', tree.community, { displayName: '白玉兰' });
    const person = await buildResident(t.ctx, tree.grid, { name: '那日苏' });
    const shown = await t.app.inject({
      method: 'POST',
      url: `/api/residents/${person.id}/reveal`,
      headers: secretary.headers,
      payload: { reason: '核对低保材料' },
    });
    expect(shown.statusCode).toBe(200);
    const h = await t.asAdmin();
    const [revealed] = (
      await t.app.inject({ url: '/api/audit-events?action=resident.revealed&pageSize=1', headers: h })
    ).json().items;
    expect(revealed).toMatchObject({
      actionName: '查看完整证件号码或手机号',
      actorLabel: '白玉兰（社区书记）',
      targetLabel: '居民 那日苏',
    });
    // The secretary's own login: the account named with its role, not "账号 01a24ebe".
    const [login] = (
      await t.app.inject({
        url: `/api/audit-events?action=auth.login&actorId=${secretary.user.id}&pageSize=1`,
        headers: h,
      })
    ).json().items;
    expect(login).toMatchObject({ actionName: '登录', actorLabel: '白玉兰（社区书记）' });
    expect(login.targetLabel).toBe('账号 白玉兰（社区书记）');
  });

  it('is append-only in the database', async () => {
    await expect(t.ctx.db.update(auditEvent).set({ summary: 'changed' })).rejects.toThrow();
    await expect(t.ctx.db.delete(auditEvent)).rejects.toThrow();
  });

  it('refuses roles without audit.read', async () => {
    const worker = await buildUser(t, 'gridWorker', tree.grid);
    expect((await t.app.inject({ url: '/api/audit-events', headers: worker.headers })).statusCode).toBe(403);
  });
});
