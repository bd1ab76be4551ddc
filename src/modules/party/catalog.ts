import { asc, desc, eq, max } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { ownMember } from './members.js';
import { findPartyOrg, type PartyOrgRow, readablePartyOrg } from './orgs.js';
import { categoryLabels, type PointsCategory, type PointsSource, pointsCategories } from './rules.js';
import { pointsCatalog, pointsItem } from './schema.js';

export interface ItemInput {
  category: PointsCategory;
  name: string;
  points: number;
  capPerQuarter: number;
  source?: PointsSource | null;
}

const fixed = pointsCategories.filter((c) => c !== 'x');

/** A new version of an organisation's 5+X catalogue; entries keep pointing at the version they were scored under. */
export async function createCatalog(ctx: AppContext, caller: Caller, orgId: string, items: ItemInput[]) {
  const missing = fixed.filter((c) => !items.some((i) => i.category === c));
  if (missing.length)
    throw invalid(
      'items',
      `5 项规定内容每项至少一条细则，缺少：${missing.map((c) => categoryLabels[c]).join('、')}`,
    );
  items.forEach((item, n) => {
    if (item.points === 0) throw invalid(`items.${n}.points`, '每次记分不能为 0');
    if (Math.abs(item.points) > item.capPerQuarter)
      throw invalid(`items.${n}.capPerQuarter`, '季度上限不能小于单次分值');
    if (item.source && items.findIndex((i) => i.source === item.source) !== n)
      throw invalid(`items.${n}.source`, '同一来源只能对应一条细则');
  });
  const id = await ctx.db.transaction(async (tx) => {
    const org = await findPartyOrg(tx, orgId);
    if (!org) throw notFound();
    authorize(caller.user, 'party.manage', org.orgPath);
    const [{ v }] = await tx
      .select({ v: max(pointsCatalog.version) })
      .from(pointsCatalog)
      .where(eq(pointsCatalog.partyOrgId, org.id));
    const [cat] = await tx
      .insert(pointsCatalog)
      .values({ partyOrgId: org.id, version: (v ?? 0) + 1, createdBy: caller.user!.id })
      .returning();
    await tx
      .insert(pointsItem)
      .values(items.map((i, sort) => ({ ...i, source: i.source ?? null, catalogId: cat.id, sort })));
    await audit(tx, caller, {
      action: 'party.catalog.created',
      targetType: 'pointsCatalog',
      targetId: cat.id,
      orgPath: org.orgPath,
      summary: `${org.name} 积分细则第 ${cat.version} 版（${items.length} 项）`,
    });
    return cat.id;
  });
  return catalogById(ctx.db, id);
}

async function catalogById(ex: Executor, id: string) {
  const [cat] = await ex.select().from(pointsCatalog).where(eq(pointsCatalog.id, id));
  const items = await ex
    .select()
    .from(pointsItem)
    .where(eq(pointsItem.catalogId, id))
    .orderBy(asc(pointsItem.sort));
  return { id: cat.id, partyOrgId: cat.partyOrgId, version: cat.version, createdAt: cat.createdAt, items };
}

/** The catalogue in force for an organisation: its own latest version, else the nearest parent's. */
export async function catalogInForce(ex: Executor, org: PartyOrgRow) {
  for (let at: PartyOrgRow | null = org; at; at = at.parentId ? await findPartyOrg(ex, at.parentId) : null) {
    const [cat] = await ex
      .select({ id: pointsCatalog.id })
      .from(pointsCatalog)
      .where(eq(pointsCatalog.partyOrgId, at.id))
      .orderBy(desc(pointsCatalog.version))
      .limit(1);
    if (cat) return catalogById(ex, cat.id);
  }
  throw new AppError('NO_CATALOG', 409, 'error.NO_CATALOG', { org: org.name });
}

export async function getCatalog(ctx: AppContext, caller: Caller, orgId: string) {
  const org = await readablePartyOrg(ctx.db, caller, orgId);
  return catalogInForce(ctx.db, org);
}

/** The catalogue the member's own branch scores under (for claims from the phone). */
export async function ownCatalog(ctx: AppContext, caller: Caller) {
  const me = await ownMember(ctx.db, caller);
  return catalogInForce(ctx.db, (await findPartyOrg(ctx.db, me.partyOrgId))!);
}
