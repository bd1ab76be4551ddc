import { and, eq, type SQL, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { conflict, invalid } from '../../platform/errors.js';
import { findOrgUnit } from '../org/units.js';
import { communityPost, communityPostPick } from './check-in-schema.js';
import { confirmedCheckIn, ownCheckIn } from './check-ins.js';

export interface PostInput {
  orgUnitId: string;
  name: string;
  description?: string | null;
  capacity?: number | null;
}

/** A post on a community's list (楼栋联络员, 政策宣讲员, 志愿服务 …) for checked-in members to pick. */
export async function createPost(ctx: AppContext, caller: Caller, input: PostInput) {
  return ctx.db.transaction(async (tx) => {
    const unit = await findOrgUnit(tx, input.orgUnitId);
    if (!unit || !['community', 'street'].includes(unit.kind))
      throw invalid('orgUnitId', '请选择设岗的社区（嘎查村）或街道');
    authorize(caller.user, 'party.checkIn', unit.path, { outside: 'forbidden' });
    const [row] = await tx
      .insert(communityPost)
      .values({
        orgUnitId: unit.id,
        orgPath: unit.path,
        name: input.name,
        description: input.description ?? null,
        capacity: input.capacity ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('error.COMMUNITY_POST_EXISTS', { name: input.name });
    await audit(tx, caller, {
      action: 'party.post.created',
      targetType: 'communityPost',
      targetId: row.id,
      orgPath: unit.path,
      summary: `${unit.name}设岗「${row.name}」`,
    });
    return row;
  });
}

const postSelect = (
  mine: SQL = sql``,
) => sql`select p.id, p.org_unit_id as "orgUnitId", u.name as "orgUnitName", p.name, p.description,
    p.capacity, (select count(*) from community_post_pick k join party_check_in c on c.id = k.check_in_id
      where k.post_id = p.id and c.status = 'confirmed')::int as taken ${mine}
  from community_post p join org_unit u on u.id = p.org_unit_id`;

/** The post lists in the caller's subtree (or of one unit), with how many members took each. */
export async function listPosts(ctx: AppContext, caller: Caller, q: { orgUnitId?: string }) {
  const where = [scopeFilter(caller.user, 'party.read', sql`p.org_path`)];
  if (q.orgUnitId) where.push(sql`p.org_unit_id = ${q.orgUnitId}::uuid`);
  return rowsOf<any>(
    await ctx.db.execute(
      sql`${postSelect()} where ${sql.join(where, sql` and `)} order by u.name, p.name limit 500`,
    ),
  );
}

/** The posts of the community the member checked in with, each marked when the member took it. */
export async function ownPosts(ctx: AppContext, caller: Caller) {
  const { checkIn } = await ownCheckIn(ctx.db, caller);
  if (!checkIn) return [];
  return postsOf(ctx.db, checkIn.orgUnitId, checkIn.id);
}

async function postsOf(ex: Executor, orgUnitId: string, checkInId: string) {
  return rowsOf<any>(
    await ex.execute(sql`${postSelect(sql`, exists (select 1 from community_post_pick k
        where k.post_id = p.id and k.check_in_id = ${checkInId}::uuid) as mine`)}
      where p.org_unit_id = ${orgUnitId}::uuid order by p.name`),
  );
}

/** 认岗: a confirmed member takes a post of their community; a full post or one taken twice is a 409. */
export async function pickPost(ctx: AppContext, caller: Caller, postId: string) {
  await ctx.db.transaction(async (tx) => {
    const { me, checkIn } = await confirmedCheckIn(tx, caller);
    const [post] = await tx.select().from(communityPost).where(eq(communityPost.id, postId)).for('update');
    if (!post || post.orgUnitId !== checkIn.orgUnitId) throw invalid('postId', '该岗位不属于你报到的社区');
    const [taken] = await tx
      .select({ id: communityPostPick.id })
      .from(communityPostPick)
      .where(and(eq(communityPostPick.checkInId, checkIn.id), eq(communityPostPick.postId, post.id)));
    if (taken) throw conflict('error.COMMUNITY_POST_PICKED', { name: post.name });
    if (post.capacity !== null) {
      const [{ n }] = rowsOf<{ n: number }>(
        await tx.execute(sql`select count(*)::int as n from community_post_pick k
          join party_check_in c on c.id = k.check_in_id where k.post_id = ${post.id}::uuid and c.status = 'confirmed'`),
      );
      if (n >= post.capacity)
        throw conflict('error.COMMUNITY_POST_FULL', { name: post.name, capacity: post.capacity });
    }
    const [row] = await tx
      .insert(communityPostPick)
      .values({ checkInId: checkIn.id, postId: post.id })
      .returning();
    await audit(tx, caller, {
      action: 'party.post.picked',
      targetType: 'communityPostPick',
      targetId: row.id,
      orgPath: checkIn.orgPath,
      summary: `${me.name} 认岗「${post.name}」`,
    });
  });
  return ownPosts(ctx, caller);
}
