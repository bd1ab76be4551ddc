import { and, eq, sql } from 'drizzle-orm';
import { t } from '../../i18n/index.js';
import { audit } from '../../platform/audit/service.js';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import { passwordProblem } from '../../platform/auth/password.js';
import type { Action } from '../../platform/auth/permissions.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { maskIdNumber, maskPhone } from '../../platform/crypto.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { notify, usersWithRole } from '../notifications/service.js';
import { findOrgUnit } from '../org/units.js';
import { linkClaimedMember } from '../party/members.js';
import { phoneUsername, shownUsername } from './phone-login.js';
import { accountRequest, user } from './schema.js';
import { assignRole, createUser } from './service.js';

/**
 * Requests a community or branch confirms. `resident`: a registered account claims to be a person
 * on the register; `partyMember`: a resident claims membership of a branch and, once confirmed,
 * acts as a party member there.
 */
export type RequestKind = 'resident' | 'partyMember';

/** Who decides each kind: the community for residents, the branch for party members. */
export const deciderAction: Record<RequestKind, Action> = {
  resident: 'account.approve',
  partyMember: 'partyMember.confirm',
};

/** Places a resident may register at: their community (嘎查村社区) or a grid of it. */
const residentUnitKinds = ['community', 'grid'];
/** A party branch sits at a community, a street or a workplace organisation. */
const branchUnitKinds = ['grid', 'community', 'street', 'organisation', 'department'];

export interface Registration {
  phone: string;
  password: string;
  name: string;
  idNumber: string;
  communityId: string;
}

/**
 * A resident signs up with phone and password. The account works at once for their own reports;
 * the link to the register record waits for the community (a pending `resident` request).
 */
export async function register(ctx: AppContext, caller: Caller, input: Registration) {
  return ctx.db.transaction(async (tx) => {
    const unit = await findOrgUnit(tx, input.communityId);
    if (!unit || !residentUnitKinds.includes(unit.kind))
      throw invalid('communityId', '请选择所在社区（嘎查村）');
    const phoneHash = ctx.pii.blindIndex(input.phone);
    const [taken] = await tx.select({ id: user.id }).from(user).where(eq(user.phoneHash, phoneHash));
    if (taken) throw invalid('phone', '该手机号已注册，请直接登录或找回密码');
    const problem = passwordProblem(input.password, input.phone);
    if (problem) throw invalid('password', t(problem, undefined, caller.locale));
    const idNumberHash = ctx.pii.blindIndex(input.idNumber);
    // One person, one account (the partial unique index settles a race between two sign-ups).
    const [claimed] = await tx
      .select({ id: accountRequest.id })
      .from(accountRequest)
      .where(
        and(
          eq(accountRequest.kind, 'resident'),
          eq(accountRequest.idNumberHash, idNumberHash),
          sql`${accountRequest.status} <> 'rejected'`,
        ),
      );
    if (claimed) throw conflict('error.ID_NUMBER_HAS_ACCOUNT');
    const u = await createUser(
      tx,
      {
        username: phoneUsername(input.phone),
        displayName: input.name,
        password: input.password,
        kind: 'resident',
      },
      { skipPolicy: true },
    );
    await tx
      .update(user)
      .set({ phoneEnc: ctx.pii.encrypt(input.phone), phoneHash, phoneLogin: true })
      .where(eq(user.id, u.id));
    await assignRole(tx, { userId: u.id, role: 'resident', orgUnitId: unit.id, orgPath: unit.path });
    await tx.insert(accountRequest).values({
      kind: 'resident',
      userId: u.id,
      orgUnitId: unit.id,
      orgPath: unit.path,
      name: input.name,
      idNumberEnc: ctx.pii.encrypt(input.idNumber),
      idNumberHash,
    });
    const communityId = unit.kind === 'community' ? unit.id : unit.parentId!;
    await notify(tx, ctx, {
      userIds: [
        ...(await usersWithRole(tx, 'communityWorker', communityId)),
        ...(await usersWithRole(tx, 'communitySecretary', communityId)),
      ],
      kind: 'account.registered',
      title: `新居民注册待认证：${input.name}`,
      body: unit.name,
      link: '/admin/account-requests',
      targetType: 'user',
      targetId: u.id,
    });
    const self = { ...caller, user: null };
    await audit(tx, self, {
      action: 'user.registered',
      targetType: 'user',
      targetId: u.id,
      orgPath: unit.path,
      summary: `居民注册 ${maskPhone(input.phone)}（${unit.name}）`,
    });
    return { id: u.id, username: shownUsername(u.username), status: 'pending' as const };
  });
}

export interface MembershipClaim {
  branchId: string;
  inService?: boolean;
  workplace?: string;
}

/** A resident asks their branch to confirm them as a party member (one open claim at a time). */
export async function claimPartyMembership(ctx: AppContext, caller: Caller, input: MembershipClaim) {
  const me = caller.user!;
  return ctx.db.transaction(async (tx) => {
    const branch = await findOrgUnit(tx, input.branchId);
    if (!branch || !branchUnitKinds.includes(branch.kind))
      throw invalid('branchId', '请选择所在党组织（社区、街道或单位）');
    if (input.inService && !input.workplace) throw invalid('workplace', '在职党员请填写工作单位');
    if (me.assignments.some((a) => a.role === 'partyMember' && a.orgUnitId === branch.id))
      throw conflict('error.CONFLICT');
    const [open] = await tx
      .select({ id: accountRequest.id })
      .from(accountRequest)
      .where(
        and(
          eq(accountRequest.userId, me.id),
          eq(accountRequest.kind, 'partyMember'),
          eq(accountRequest.status, 'pending'),
        ),
      );
    if (open) throw invalid('branchId', '已有待确认的党员身份申请，请等待党组织审核');
    const [row] = await tx
      .insert(accountRequest)
      .values({
        kind: 'partyMember',
        userId: me.id,
        orgUnitId: branch.id,
        orgPath: branch.path,
        name: me.displayName,
        inService: input.inService ?? false,
        workplace: input.workplace ?? null,
      })
      .returning();
    await notify(tx, ctx, {
      userIds: await usersWithRole(tx, 'communitySecretary', branch.id),
      kind: 'partyMember.claimed',
      title: `党员身份待确认：${me.displayName}`,
      body: branch.name,
      link: '/admin/party-member-requests',
      targetType: 'user',
      targetId: me.id,
    });
    await audit(tx, caller, {
      action: 'partyMember.claimed',
      targetType: 'accountRequest',
      targetId: row.id,
      orgPath: branch.path,
      summary: `申请确认党员身份（${branch.name}）`,
    });
    return describeRequests(ctx, tx, sql`ar.id = ${row.id}::uuid`).then((r) => r[0]);
  });
}

/** The caller's own requests, newest first: what the app shows as "待审核 / 已通过 / 未通过". */
export async function ownRequests(ctx: AppContext, caller: Caller) {
  return describeRequests(ctx, ctx.db, sql`ar.user_id = ${caller.user!.id}::uuid`);
}

async function describeRequests(
  ctx: AppContext,
  ex: Executor,
  where: ReturnType<typeof sql>,
  { limit = 100, offset = 0 } = {},
) {
  const rows = await ex.execute(sql`select ar.id, ar.kind, ar.status, ar.name, ar.reason,
      ar.id_number_enc as "idNumberEnc", ar.in_service as "inService", ar.workplace,
      ar.org_unit_id as "orgUnitId", ar.org_path::text as "orgPath", ar.created_at as "createdAt",
      ar.decided_at as "decidedAt", u.username, u.display_name as "displayName", u.phone_enc as "phoneEnc",
      o.name as "orgName", count(*) over() as total
    from account_request ar join "user" u on u.id = ar.user_id join org_unit o on o.id = ar.org_unit_id
    where ${where} order by ar.created_at desc, ar.id limit ${limit} offset ${offset}`);
  return rowsOf<any>(rows).map(({ idNumberEnc, phoneEnc, ...r }) => ({
    ...r,
    username: shownUsername(r.username),
    kind: r.kind as RequestKind,
    status: r.status as 'pending' | 'approved' | 'rejected',
    createdAt: new Date(r.createdAt),
    decidedAt: r.decidedAt ? new Date(r.decidedAt) : null,
    idNumber: idNumberEnc ? maskIdNumber(ctx.pii.decrypt(idNumberEnc)) : null,
    phone: phoneEnc ? maskPhone(ctx.pii.decrypt(phoneEnc)) : null,
    branchName: r.kind === 'partyMember' ? r.orgName : null,
    total: Number(r.total),
  }));
}

export interface RequestQuery {
  page: number;
  pageSize: number;
  status?: 'pending' | 'approved' | 'rejected';
}

/** The queue a community (residents) or branch (party members) works through, inside its subtree. */
export async function listRequests(ctx: AppContext, caller: Caller, kind: RequestKind, q: RequestQuery) {
  const scope = scopeFilter(caller.user, deciderAction[kind], sql`ar.org_path`);
  const status = q.status ? sql`and ar.status = ${q.status}` : sql``;
  const rows = await describeRequests(ctx, ctx.db, sql`ar.kind = ${kind} ${status} and ${scope}`, {
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}

/** Approve or reject a pending request; approving a party member grants the role at the branch. */
export async function decideRequest(
  ctx: AppContext,
  caller: Caller,
  kind: RequestKind,
  id: string,
  decision: { approve: true } | { approve: false; reason: string },
) {
  return ctx.db.transaction(async (tx) => {
    const [req] = await tx
      .select()
      .from(accountRequest)
      .where(and(eq(accountRequest.id, id), eq(accountRequest.kind, kind)))
      .for('update');
    if (!req) throw notFound();
    authorize(caller.user, deciderAction[kind], req.orgPath);
    if (req.status !== 'pending') throw conflict('error.ALREADY_DECIDED');
    await tx
      .update(accountRequest)
      .set({
        status: decision.approve ? 'approved' : 'rejected',
        reason: decision.approve ? null : decision.reason,
        decidedBy: caller.user!.id,
        decidedAt: new Date(),
      })
      .where(eq(accountRequest.id, req.id));
    if (decision.approve && kind === 'partyMember') {
      await assignRole(tx, {
        userId: req.userId,
        role: 'partyMember',
        orgUnitId: req.orgUnitId,
        orgPath: req.orgPath,
        createdBy: caller.user!.id,
      });
      // The confirmation is what creates (or links) the person's party member record.
      await linkClaimedMember(tx, caller, {
        userId: req.userId,
        orgUnitId: req.orgUnitId,
        inService: req.inService ?? false,
        workplace: req.workplace,
      });
    }
    const verb = decision.approve ? '通过' : '驳回';
    await audit(tx, caller, {
      action: `${kind === 'resident' ? 'account' : 'partyMember'}.${decision.approve ? 'approved' : 'rejected'}`,
      targetType: 'user',
      targetId: req.userId,
      orgPath: req.orgPath,
      summary: `${verb}${kind === 'resident' ? '居民账号认证' : '党员身份确认'}：${req.name}`,
    });
    return (await describeRequests(ctx, tx, sql`ar.id = ${req.id}::uuid`))[0];
  });
}
