import { type SQL, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { keyConflict, staffOfUnit } from './service.js';

/** A checked intake, ready to be written: everything but its place's path and its number. */
export interface IntakeRow {
  id: string;
  eventId: string;
  key: string | null;
  userId: string;
  actorName: string;
  placeId: string;
  /** A place the caller named must be a building, grid, community, street or district; a located one is a grid. */
  named: boolean;
  /** The Beijing day it is numbered by, `YYYY-MM-DD`. */
  day: string;
  channel: string;
  categoryId: string;
  title: string;
  description: string;
  lng: number | null;
  lat: number | null;
  address: string | null;
  reporterUserId: string | null;
  reporterName: string | null;
  phoneEnc: string | null;
  phoneHash: string | null;
  anonymous: boolean;
  urgency: string;
  externalNo: string | null;
  answers: Record<string, unknown> | null;
  status: string;
  dueAt: Date;
  state: unknown;
  createdAt: Date;
  eventData: unknown;
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

const valuesOf = (r: IntakeRow, ord: number): SQL =>
  sql`(${ord}::int, ${r.id}::uuid, ${r.eventId}::uuid, ${r.key}::text, ${r.userId}::uuid, ${r.actorName}::text,
    ${r.placeId}::uuid, ${r.named}::boolean, ${r.day}::date, ${r.channel}::text, ${r.categoryId}::uuid,
    ${r.title}::text, ${r.description}::text, ${r.lng}::float8, ${r.lat}::float8, ${r.address}::text,
    ${r.reporterUserId}::uuid, ${r.reporterName}::text, ${r.phoneEnc}::text, ${r.phoneHash}::text,
    ${r.anonymous}::boolean, ${r.urgency}::text, ${r.externalNo}::text, ${r.answers === null ? null : JSON.stringify(r.answers)}::jsonb, ${r.status}::text, ${ts(r.dueAt)},
    ${JSON.stringify(r.state)}::jsonb, ${ts(r.createdAt)}, ${JSON.stringify(r.eventData)}::jsonb)`;

/**
 * Writes intakes in one statement: their places, keys (a key already used writes nothing for its
 * row), the day's numbers per district (taken together from the counter row), the orders, their
 * first events and the community staff's notices. Returns the rows written, with their place's
 * path; a row missing from the result was a replayed key or an unusable place.
 */
export async function writeIntakes(ex: Executor, rows: IntakeRow[]) {
  if (!rows.length) return [];
  const result =
    await ex.execute(sql`with input (ord, id, event_id, key, user_id, actor_name, place_id, named,
      day, channel, category_id, title, description, lng, lat, address, reporter_user_id, reporter_name,
      phone_enc, phone_hash, anonymous, urgency, external_no, answers, status, due_at, state, created_at, event_data)
    as (values ${sql.join(
      rows.map((r, i) => valuesOf(r, i)),
      sql`, `,
    )}),
    p as (
      select i.ord, coalesce(b.id, u.id) as place, coalesce(b.path, u.path) as path,
        coalesce(b.district_code, u.district_code) as district_code, coalesce(b.name, u.name) as place_name
      from input i join org_unit u on u.id = i.place_id and u.deleted_at is null
        and (not i.named or u.kind in ('grid', 'community', 'building', 'street', 'district'))
      left join org_unit b on u.kind = 'building' and b.id = u.parent_id
    ), k as (
      insert into idempotency_key (key, user_id, work_order_id)
      select i.key, i.user_id, i.id from input i join p using (ord) where i.key is not null
      on conflict do nothing returning work_order_id
    ), go as (
      select i.*, p.place, p.path, coalesce(p.district_code, '000000') as dc, p.district_code, p.place_name
      from input i join p using (ord)
      where i.key is null or i.id in (select work_order_id from k)
    ), wanted as (
      select dc, day, count(*)::int as n from go group by dc, day
    ), n as (
      insert into work_order_serial (district_code, day, last) select dc, day, n from wanted
      on conflict (district_code, day) do update set last = work_order_serial.last + excluded.last
      returning district_code, day, last
    ), serials as (
      select go.*, (n.last - wanted.n + row_number() over (partition by go.dc, go.day order by go.ord))::text as serial
      from go join wanted using (dc, day) join n on n.district_code = go.dc and n.day = go.day
    ), numbered as (
      -- Four digits, more on a day past 9999 (lpad alone would cut the number short).
      select *, 'GD' || to_char(day, 'YYYYMMDD') || lpad(serial, greatest(4, length(serial)), '0') as number
      from serials
    ), w as (
      insert into work_order (id, number, channel, category_id, title, description, lng, lat, address,
        place_id, org_path, district_code, reporter_user_id, reporter_name, reporter_phone_enc,
        reporter_phone_hash, anonymous, urgency, external_no, answers, status, due_at, state, created_by,
        created_at)
      select id, number, channel, category_id, title, description, lng, lat, address, place, path,
        district_code, reporter_user_id, reporter_name, phone_enc, phone_hash, anonymous, urgency,
        external_no, answers, status, due_at, state, user_id, created_at
      from numbered
      returning id, org_path
    ), e as (
      insert into work_order_event (id, work_order_id, seq, type, at, actor_id, actor_name, data)
      select event_id, id, 1, 'created', created_at, user_id, actor_name, event_data from numbered
    ), s as (
      insert into notification (id, user_id, kind, title, body, link, target_type, target_id)
      select grassroots_uuid_v7(), staff.id, 'workOrder.submitted', '新诉求待受理：' || o.title,
        o.number || ' · ' || o.place_name, '/work-orders/' || o.id, 'workOrder', o.id
      from numbered o, lateral (${staffOfUnit(
        // The community triages; an order placed at a street or district, that unit's own staff.
        sql`coalesce((select c.id from org_unit c where c.kind = 'community' and c.path @> o.path limit 1), o.place)`,
      )}) staff
    )
    select id, org_path::text as path from w`);
  return rowsOf<{ id: string; path: string }>(result);
}

type Written = { id: string; path: string } | null;

interface Waiting {
  row: IntakeRow;
  resolve: (w: Written) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for intakes: while one batch is being written, the intakes that arrive wait and go
 * together in the next statement. One intake alone is written at once; under load (a hotline
 * desk, a morning of 随手拍, an import) a round trip and a commit serve many. A batch that fails
 * is retried row by row, so one bad intake fails only its own request.
 */
export class IntakeWriter {
  private queue: Waiting[] = [];
  private writing = false;
  private drained: Promise<void> = Promise.resolve();

  constructor(
    private db: Executor,
    private maxBatch = 200,
  ) {}

  write(row: IntakeRow): Promise<Written> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        this.drained = this.drain();
      }
    });
  }

  /** Resolves once everything queued is written (the server waits for it before it closes). */
  async idle() {
    while (this.writing) await this.drained;
  }

  private async drain() {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const written = new Map(
            (
              await writeIntakes(
                this.db,
                batch.map((w) => w.row),
              )
            ).map((r) => [r.id, r]),
          );
          for (const w of batch) w.resolve(written.get(w.row.id) ?? null);
        } catch (err) {
          if (batch.length === 1) settleAlone(batch[0], err);
          else for (const w of batch) await writeAlone(this.db, w);
        }
      }
    } finally {
      // In the same step as the loop's last check: a write arriving after it starts a new drain.
      this.writing = false;
    }
  }
}

/** A key raced by another request is a replay (the caller looks it up); anything else is an error. */
function settleAlone(w: Waiting, err: unknown) {
  if (w.row.key && keyConflict(err)) w.resolve(null);
  else w.reject(err);
}

async function writeAlone(db: Executor, w: Waiting) {
  try {
    const [written] = await writeIntakes(db, [w.row]);
    w.resolve(written ?? null);
  } catch (err) {
    settleAlone(w, err);
  }
}

const writers = new WeakMap<AppContext, IntakeWriter>();

export function intakeWriter(ctx: AppContext): IntakeWriter {
  let writer = writers.get(ctx);
  if (!writer) {
    writer = new IntakeWriter(ctx.db);
    writers.set(ctx, writer);
  }
  return writer;
}
