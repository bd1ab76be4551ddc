import { and, asc, desc, eq, gt, ilike, isNull, like, lte, type SQL, sql } from 'drizzle-orm';
import { scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { findOrgUnit, subtreeOf, unitLabelSql } from '../org/units.js';
import {
  type CareGroup,
  difficultyTags,
  type ResidenceStatus,
  type ResidentStatus,
  type ResidentTag,
} from './codes.js';
import { describeResident } from './describe.js';
import { cappedTotal } from './paging.js';
import { house, householdMember, resident } from './schema.js';
import { bornOnOrBefore, normalizePhone, shanghaiToday } from './validators.js';

/**
 * A resident's name contains `text`, in the form the indexes serve: Chinese has no case, so LIKE
 * (ILIKE lower-cases every name it reads); three and more characters use the trigram index, two the
 * bigram one (name_bigrams); one character walks the list's order index until the page is full.
 */
export function nameContains(text: string): SQL {
  const pattern = `%${text.replace(/[%_\\]/g, '\\$&')}%`;
  if (/[a-z]/i.test(text)) return ilike(resident.name, pattern);
  if ([...text].length !== 2) return like(resident.name, pattern);
  return and(sql`name_bigrams(${resident.name}) @> array[${text}]::text[]`, like(resident.name, pattern))!;
}

export interface ResidentQuery {
  page: number;
  pageSize: number;
  /** Name substring, or pinyin initials when it is Latin letters (zsf → 张三丰). */
  q?: string;
  idNumber?: string;
  phone?: string;
  address?: string;
  tag?: ResidentTag;
  careGroup?: CareGroup;
  ageMin?: number;
  ageMax?: number;
  gender?: 'male' | 'female';
  residenceStatus?: ResidenceStatus;
  /** Default `active`: departed and deceased people leave the lists unless asked for. */
  status?: ResidentStatus | 'all';
  orgUnitId?: string;
  houseId?: string;
  sort?: 'name' | 'birthDate' | 'createdAt';
  order?: 'asc' | 'desc';
}

/** The WHERE of a resident list: the caller's scope first, then the filters. Null when nothing can match. */
export async function residentFilter(
  ctx: AppContext,
  caller: Caller,
  q: Omit<ResidentQuery, 'page' | 'pageSize'>,
  ex: Executor = ctx.db,
) {
  const where: SQL[] = [
    scopeFilter(caller.user, 'resident.read', resident.orgPath),
    isNull(resident.deletedAt),
  ];
  const status = q.status ?? 'active';
  if (status !== 'all') where.push(eq(resident.status, status));
  if (q.orgUnitId) {
    const unit = await findOrgUnit(ex, q.orgUnitId);
    if (!unit) return null;
    where.push(subtreeOf(resident.orgPath, unit.path));
  }
  if (q.q) {
    const text = q.q.trim();
    where.push(
      /^[a-z]+$/i.test(text)
        ? // A prefix: a range on the text_pattern_ops index.
          sql`${resident.nameInitials} like ${`${text.toLowerCase()}%`}`
        : nameContains(text),
    );
  }
  if (q.idNumber) where.push(eq(resident.idNumberIndex, ctx.pii.blindIndex(q.idNumber.replace(/\s/g, ''))));
  if (q.phone) {
    const p = normalizePhone(q.phone);
    if (typeof p !== 'string') return null;
    where.push(eq(resident.phoneIndex, ctx.pii.blindIndex(p)));
  }
  if (q.address) {
    where.push(sql`exists (select 1 from ${house} where ${house.id} = ${resident.houseId}
      and ${house.address} ilike ${`%${q.address.replace(/[%_\\]/g, '\\$&')}%`})`);
  }
  if (q.tag) where.push(sql`${resident.tags} @> array[${q.tag}]::text[]`);
  const today = shanghaiToday();
  if (q.careGroup === 'elderly') where.push(lte(resident.birthDate, bornOnOrBefore(60, today)));
  if (q.careGroup === 'child') where.push(gt(resident.birthDate, bornOnOrBefore(18, today)));
  if (q.careGroup === 'inDifficulty')
    where.push(
      sql`${resident.tags} && array[${sql.join(
        difficultyTags.map((t) => sql`${t}`),
        sql`, `,
      )}]::text[]`,
    );
  if (q.ageMin !== undefined) where.push(lte(resident.birthDate, bornOnOrBefore(q.ageMin, today)));
  if (q.ageMax !== undefined) where.push(gt(resident.birthDate, bornOnOrBefore(q.ageMax + 1, today)));
  if (q.gender) where.push(eq(resident.gender, q.gender));
  if (q.residenceStatus) where.push(eq(resident.residenceStatus, q.residenceStatus));
  if (q.houseId) where.push(eq(resident.houseId, q.houseId));
  return and(...where)!;
}

const sortColumns = { name: resident.name, birthDate: resident.birthDate, createdAt: resident.createdAt };

export async function listResidents(ctx: AppContext, caller: Caller, q: ResidentQuery) {
  const where = await residentFilter(ctx, caller, q);
  if (!where) return { items: [], total: 0, totalCapped: false };
  const column = sortColumns[q.sort ?? 'createdAt'];
  const direction = q.order === 'asc' ? asc : desc;
  // Rows and total in two queries: the page walks an index on the sort column and stops early.
  const [rows, counted] = await Promise.all([
    ctx.db
      .select({
        r: resident,
        address: house.address,
        gridName: unitLabelSql(resident.gridId),
        householdId: householdMember.householdId,
        relation: householdMember.relation,
      })
      .from(resident)
      .leftJoin(house, eq(house.id, resident.houseId))
      .leftJoin(
        householdMember,
        and(eq(householdMember.residentId, resident.id), isNull(householdMember.leftOn)),
      )
      .where(where)
      .orderBy(direction(column), direction(resident.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    cappedTotal(ctx.db, sql`${resident}`, where),
  ]);
  const today = shanghaiToday();
  return {
    items: rows.map((row) => describeResident(ctx.pii, row.r, row, today)),
    ...counted,
  };
}
