import { and, eq, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, Executor } from '../db/index.js';
import { rowsOf } from '../db/index.js';
import { job } from './schema.js';

export type JobRow = typeof job.$inferSelect;

export interface JobControl {
  db: Db;
  /** Records progress (and proves the worker is alive); throws JobCancelled if a cancel was asked for. */
  progress(done: number, total?: number): Promise<void>;
}

/** Returns the job's result (stored as JSON). Must be safe to run again (by hand) after a crash: upsert, don't append. */
export type JobHandler = (job: JobRow, ctl: JobControl) => Promise<Record<string, unknown>>;

export class JobCancelled extends Error {}

const staleAfterSeconds = 120;

/** Why a job found running at start-up failed: its process died under it, perhaps because of it. */
export const interruptedReason =
  '任务执行期间服务进程意外退出（可能是文件过大等原因耗尽内存）；为免再次拖垮服务，未自动重试。请检查文件后重新提交';

/**
 * An in-process worker over the persisted `job` table. Claims with FOR UPDATE SKIP LOCKED so
 * several server processes can share one PostgreSQL queue; one job at a time per process.
 */
export class JobRunner {
  private handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private db: Db,
    private log: Pick<FastifyBaseLogger, 'info' | 'error' | 'warn'>,
    private pollMs = 1000,
  ) {}

  register(kind: string, handler: JobHandler) {
    this.handlers.set(kind, handler);
  }

  has(kind: string) {
    return this.handlers.has(kind);
  }

  async enqueue(
    ex: Executor,
    input: {
      kind: string;
      params?: Record<string, unknown>;
      createdBy?: string | null;
      orgPath?: string | null;
    },
  ): Promise<JobRow> {
    const [row] = await ex
      .insert(job)
      .values({
        kind: input.kind,
        params: input.params ?? {},
        createdBy: input.createdBy,
        orgPath: input.orgPath,
      })
      .returning();
    setImmediate(() => this.kick());
    return row;
  }

  /**
   * Starts polling; first fails the jobs whose worker died mid-way. They are not retried: a job that
   * killed its process (a workbook that exhausts memory) would kill it again on every start.
   */
  async start(singleProcess: boolean) {
    const stale = singleProcess
      ? sql`${job.status} = 'running'`
      : sql`${job.status} = 'running' and ${job.heartbeatAt} < now() - make_interval(secs => ${staleAfterSeconds})`;
    const failed = rowsOf<{ id: string; kind: string; attempts: number }>(
      await this.db.execute(
        sql`update ${job} set status = 'failed', error = ${interruptedReason}, finished_at = now()
          where ${stale} returning id, kind, attempts`,
      ),
    );
    for (const f of failed)
      this.log.warn(
        { jobId: f.id, kind: f.kind },
        'job was running when its process died; marked failed, not retried',
      );
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private kick() {
    if (this.stopped || this.running) return;
    this.running = this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain() {
    while (!this.stopped && (await this.runOne())) {}
  }

  /** Claims and runs one queued job; false when there is none. Tests call it directly. */
  async runOne(): Promise<boolean> {
    const claimed = rowsOf<{ id: string }>(
      await this.db.execute(sql`update ${job} set status = 'running', started_at = now(), heartbeat_at = now(),
        attempts = attempts + 1
        where id = (select id from ${job} where status = 'queued' order by created_at for update skip locked limit 1)
        returning id`),
    );
    if (claimed.length === 0) return false;
    const [row] = await this.db.select().from(job).where(eq(job.id, claimed[0].id));
    await this.execute(row);
    return true;
  }

  /** Runs queued jobs until none is left (CLI and tests). */
  async runUntilIdle() {
    while (await this.runOne()) {}
  }

  private async execute(row: JobRow) {
    const handler = this.handlers.get(row.kind);
    const finish = (values: Partial<JobRow>) =>
      this.db
        .update(job)
        .set({ ...values, finishedAt: new Date() })
        .where(eq(job.id, row.id));
    if (!handler) {
      await finish({ status: 'failed', error: `unknown job kind ${row.kind}` });
      return;
    }
    const ctl: JobControl = {
      db: this.db,
      progress: async (done, total) => {
        const [current] = await this.db
          .update(job)
          .set({
            progressDone: done,
            ...(total !== undefined ? { progressTotal: total } : {}),
            heartbeatAt: new Date(),
          })
          .where(eq(job.id, row.id))
          .returning({ cancel: job.cancelRequested });
        if (current?.cancel) throw new JobCancelled();
      },
    };
    try {
      const result = await handler(row, ctl);
      await finish({ status: 'succeeded', result, error: null });
      this.log.info({ jobId: row.id, kind: row.kind }, 'job succeeded');
    } catch (err) {
      if (err instanceof JobCancelled) {
        await finish({ status: 'cancelled' });
        return;
      }
      this.log.error({ jobId: row.id, kind: row.kind, err }, 'job failed');
      await finish({ status: 'failed', error: err instanceof Error ? err.message : String(err) });
    }
  }

  /**
   * Asks a job to stop: a queued job is cancelled at once, a running one at its next progress report
   * (handlers report between chunks), after which its status is `cancelled`.
   */
  async cancel(id: string): Promise<boolean> {
    const [queued] = await this.db
      .update(job)
      .set({ status: 'cancelled', finishedAt: new Date() })
      .where(and(eq(job.id, id), eq(job.status, 'queued')))
      .returning({ id: job.id });
    if (queued) return true;
    const [running] = await this.db
      .update(job)
      .set({ cancelRequested: 1 })
      .where(and(eq(job.id, id), eq(job.status, 'running')))
      .returning({ id: job.id });
    return !!running;
  }
}
