import { createReadStream, existsSync, rmSync } from 'node:fs';
import { and, desc, eq, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { can, scopeFilter } from '../auth/authorize.js';
import type { Caller } from '../context.js';
import type { Executor } from '../db/index.js';
import { AppError, notFound } from '../errors.js';
import { page, pageQuery, timestamp, uuidParam } from '../http/schemas.js';
import type { App } from '../http/types.js';
import { attachmentHeader, jobOutputPath } from './output.js';
import { type FileGone, markFileGone } from './retention.js';
import type { JobRow } from './runner.js';
import { job } from './schema.js';

const jobOut = z.object({
  id: z.uuid(),
  kind: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  progressDone: z.number().int(),
  progressTotal: z.number().int().nullable(),
  percent: z.number().int().min(0).max(100),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
});

function describeJob(row: JobRow) {
  const percent =
    row.status === 'succeeded'
      ? 100
      : row.progressTotal
        ? Math.min(99, Math.floor((row.progressDone / row.progressTotal) * 100))
        : 0;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status as z.infer<typeof jobOut>['status'],
    progressDone: row.progressDone,
    progressTotal: row.progressTotal,
    percent,
    result: row.result ?? null,
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** A job is visible to whoever started it, and to staff whose subtree holds the job's place. */
function visible(caller: Caller): SQL {
  const own = eq(job.createdBy, caller.user!.id);
  const grants = can(caller.user, 'job.read')
    ? scopeFilter(caller.user, 'job.read', job.orgPath)
    : sql`false`;
  return or(own, and(sql`${job.orgPath} is not null`, grants))!;
}

async function findJob(ex: Executor, caller: Caller, id: string) {
  const [row] = await ex
    .select()
    .from(job)
    .where(and(eq(job.id, id), visible(caller)));
  if (!row) throw notFound();
  return row;
}

const tags = ['jobs'];

const contentTypes: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  geojson: 'application/geo+json',
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
};
const contentType = (fileName: string) =>
  contentTypes[fileName.split('.').pop()!.toLowerCase()] ?? 'application/octet-stream';

export default async function jobRoutes(app: App) {
  app.get(
    '/jobs',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary: '我的后台任务',
        querystring: pageQuery.extend({
          kind: z.string().max(64).optional(),
          status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).optional(),
        }),
        response: { 200: page(jobOut) },
      },
    },
    async (req) => {
      const q = req.query;
      const where = [eq(job.createdBy, req.caller.user!.id)];
      if (q.kind) where.push(eq(job.kind, q.kind));
      if (q.status) where.push(eq(job.status, q.status));
      const rows = await app.ctx.db
        .select({ job, total: sql<number>`count(*) over()`.mapWith(Number) })
        .from(job)
        .where(and(...where))
        .orderBy(desc(job.createdAt))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize);
      return { items: rows.map((r) => describeJob(r.job)), total: rows[0]?.total ?? 0 };
    },
  );

  app.get(
    '/jobs/:id',
    {
      config: { action: 'authenticated' },
      schema: { tags, summary: '任务进度', params: uuidParam, response: { 200: jobOut } },
    },
    async (req) => describeJob(await findJob(app.ctx.db, req.caller, req.params.id)),
  );

  app.post(
    '/jobs/:id/cancel',
    {
      config: { action: 'authenticated' },
      schema: { tags, summary: '取消任务', params: uuidParam, response: { 200: jobOut } },
    },
    async (req) => {
      const row = await findJob(app.ctx.db, req.caller, req.params.id);
      if (!(await app.ctx.jobs.cancel(row.id))) throw new AppError('JOB_NOT_CANCELLABLE', 409);
      return describeJob(await findJob(app.ctx.db, req.caller, row.id));
    },
  );

  app.get(
    '/jobs/:id/download',
    {
      config: { action: 'authenticated' },
      schema: { tags, summary: '下载任务生成的文件（仅限发起人）', params: uuidParam },
    },
    async (req, reply) => {
      const row = await findJob(app.ctx.db, req.caller, req.params.id);
      // Exports carry personal data: only the person who started (and was audited for) the export.
      if (row.createdBy !== req.caller.user!.id) throw notFound();
      const path = jobOutputPath(app.ctx.config.dataDir, row.id);
      const result = row.result as { fileName?: string; fileGone?: FileGone } | null;
      const fileName = result?.fileName;
      if (row.status !== 'succeeded' || !fileName) throw notFound();
      if (result?.fileGone)
        throw new AppError('EXPORT_GONE', 410, `error.EXPORT_GONE_${result.fileGone}`, {
          hours: app.ctx.config.EXPORT_RETENTION_HOURS,
        });
      if (!existsSync(path)) throw notFound();
      // Taken before it is sent: a second download is refused at once; read to the end, the file is
      // deleted; a download broken off gives it back.
      await markFileGone(app.ctx.db, row.id, 'downloaded');
      const stream = createReadStream(path);
      let ended = false;
      stream.once('end', () => {
        ended = true;
        // At once (not later): by the time the last byte reaches the user the file is gone.
        try {
          rmSync(path, { force: true });
        } catch (err) {
          req.log.warn({ err, jobId: row.id }, 'could not delete a downloaded export');
        }
      });
      stream.once('close', () => {
        if (!ended)
          markFileGone(app.ctx.db, row.id, null).catch((err) =>
            req.log.warn({ err, jobId: row.id }, 'could not give back an export whose download broke off'),
          );
      });
      return reply
        .header('content-type', contentType(fileName))
        .header('content-disposition', attachmentHeader(fileName))
        .send(stream);
    },
  );
}
