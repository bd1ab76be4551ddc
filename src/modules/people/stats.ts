import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { rowsOf } from '../../platform/db/index.js';
import { notFound } from '../../platform/errors.js';
import { findOrgUnit, subtreeOf } from '../org/units.js';
import { difficultyTags } from './codes.js';
import { house, household, resident } from './schema.js';
import { ageBands, bornOnOrBefore, shanghaiToday } from './validators.js';

/**
 * Population statistics of an org unit (its whole subtree, within the caller's scope): active
 * residents by age band, gender, ethnicity, residence status, care group and tag; households;
 * houses by use. One pass of conditional counts plus a few GROUP BYs.
 */
export interface PeopleStats {
  orgUnitId: string | null;
  residents: number;
  ageBands: Record<string, number>;
  gender: Record<string, number>;
  ethnicity: Record<string, number>;
  residenceStatus: Record<string, number>;
  careGroups: { elderly: number; advancedAge: number; child: number; inDifficulty: number };
  tags: Record<string, number>;
  households: number;
  houses: number;
  housesByUse: Record<string, number>;
}

const counts = (rows: { key: string | null; n: number }[]): Record<string, number> =>
  Object.fromEntries(rows.filter((r) => r.key !== null).map((r) => [r.key, Number(r.n)]));

export async function peopleStats(
  ctx: AppContext,
  caller: Caller,
  orgUnitId?: string,
  today = shanghaiToday(),
): Promise<PeopleStats> {
  const db = ctx.db;
  let subtree: ((c: SQL | typeof resident.orgPath) => SQL) | null = null;
  if (orgUnitId) {
    const unit = await findOrgUnit(db, orgUnitId);
    if (!unit) throw notFound();
    authorize(caller.user, 'resident.read', unit.path);
    subtree = (c) => subtreeOf(c, unit.path);
  }
  const within = (c: SQL | typeof resident.orgPath) =>
    and(scopeFilter(caller.user, 'resident.read', c), ...(subtree ? [subtree(c)] : []))!;
  const people = and(within(resident.orgPath), isNull(resident.deletedAt), eq(resident.status, 'active'))!;

  const bandSql = ageBands.map(
    (b) =>
      sql`count(*) filter (where ${resident.birthDate} <= ${bornOnOrBefore(b.min, today)} and ${resident.birthDate} > ${bornOnOrBefore(b.max + 1, today)})::int`,
  );
  const difficulty = sql`array[${sql.join(
    difficultyTags.map((t) => sql`${t}`),
    sql`, `,
  )}]::text[]`;
  const [summary] = rowsOf<Record<string, number>>(
    await db.execute(sql`select count(*)::int as total,
      ${sql.join(
        bandSql.map((s, i) => sql`${s} as ${sql.identifier(`band${i}`)}`),
        sql`, `,
      )},
      count(*) filter (where ${resident.birthDate} <= ${bornOnOrBefore(60, today)})::int as elderly,
      count(*) filter (where ${resident.birthDate} <= ${bornOnOrBefore(80, today)})::int as advanced,
      count(*) filter (where ${resident.birthDate} > ${bornOnOrBefore(18, today)})::int as child,
      count(*) filter (where ${resident.tags} && ${difficulty})::int as difficulty
      from ${resident} where ${people}`),
  );
  const group = async (column: SQL) =>
    counts(
      await db
        .select({ key: sql<string>`${column}`, n: sql<number>`count(*)::int` })
        .from(resident)
        .where(people)
        .groupBy(sql`1`),
    );
  const [gender, ethnicity, residenceStatus] = [
    await group(sql`${resident.gender}`),
    await group(sql`${resident.ethnicity}`),
    await group(sql`${resident.residenceStatus}`),
  ];
  const tags = counts(
    rowsOf<{ key: string; n: number }>(
      await db.execute(
        sql`select t as key, count(*)::int as n from ${resident}, unnest(${resident.tags}) as t where ${people} group by t`,
      ),
    ),
  );
  const [{ n: households }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(household)
    .where(and(within(sql`${household.orgPath}`), isNull(household.deletedAt)));
  const housesByUse = counts(
    await db
      .select({ key: house.use, n: sql<number>`count(*)::int` })
      .from(house)
      .where(and(within(sql`${house.orgPath}`), isNull(house.deletedAt)))
      .groupBy(house.use),
  );
  return {
    orgUnitId: orgUnitId ?? null,
    residents: Number(summary.total),
    ageBands: Object.fromEntries(ageBands.map((b, i) => [b.key, Number(summary[`band${i}`])])),
    gender,
    ethnicity,
    residenceStatus,
    careGroups: {
      elderly: Number(summary.elderly),
      advancedAge: Number(summary.advanced),
      child: Number(summary.child),
      inDifficulty: Number(summary.difficulty),
    },
    tags,
    households: Number(households),
    houses: Object.values(housesByUse).reduce((a, b) => a + b, 0),
    housesByUse,
  };
}
