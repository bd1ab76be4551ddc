import { eq, sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { pointsBalance, pointsLedger } from './schema.js';

export type LedgerKind = 'earned' | 'redeemed' | 'corrected' | 'expired';

export interface Posting {
  memberId: string;
  /** Points into the member's passbook (negative: out of it). */
  amount: number;
  kind: LedgerKind;
  /** The other side: the issuing organisation (earned, corrected, expired) or the shop item (redeemed). */
  counter: { account: 'issuer' | 'shop'; id: string };
  quarterId?: string;
  entryId?: string;
  redemptionId?: string;
  memo: string;
}

/**
 * The one way points move: two lines that sum to zero, and the member's balance, in the caller's
 * transaction. The balance row is locked first, so spending that races is serialised by the
 * database; a posting that would leave it negative is a 409 and writes nothing.
 */
export async function post(ex: Executor, p: Posting): Promise<{ txnId: string; balance: number }> {
  const [row] = await ex
    .select({ balance: pointsBalance.balance })
    .from(pointsBalance)
    .where(eq(pointsBalance.memberId, p.memberId))
    .for('update');
  const before = row?.balance ?? 0;
  if (before + p.amount < 0)
    throw new AppError('POINTS_BALANCE', 409, 'error.POINTS_BALANCE', { need: -p.amount, balance: before });
  const txnId = newId();
  const refs = { quarterId: p.quarterId, entryId: p.entryId, redemptionId: p.redemptionId };
  await ex.insert(pointsLedger).values([
    {
      txnId,
      account: 'member',
      accountId: p.memberId,
      amount: p.amount,
      kind: p.kind,
      memo: p.memo,
      ...refs,
    },
    {
      txnId,
      account: p.counter.account,
      accountId: p.counter.id,
      amount: -p.amount,
      kind: p.kind,
      memo: p.memo,
      ...refs,
    },
  ]);
  await ex
    .insert(pointsBalance)
    .values({ memberId: p.memberId, balance: before + p.amount })
    .onConflictDoUpdate({ target: pointsBalance.memberId, set: { balance: sql`${before + p.amount}` } });
  return { txnId, balance: before + p.amount };
}

/** A member's passbook lines, newest first, each with the balance after it. */
export async function passbookLines(ex: Executor, memberId: string, page: number, pageSize: number) {
  const result = await ex.execute(sql`select id, kind, amount, memo, quarter_id as "quarterId",
      entry_id as "entryId", redemption_id as "redemptionId", created_at as "createdAt",
      sum(amount) over (order by created_at, id)::int as "balanceAfter", count(*) over()::int as total
    from points_ledger where account_id = ${memberId}::uuid and account = 'member'
    order by created_at desc, id desc limit ${pageSize} offset ${(page - 1) * pageSize}`);
  const rows = rowsOf<any>(result);
  return {
    items: rows.map(({ total: _t, createdAt, ...r }) => ({ ...r, createdAt: new Date(createdAt) })),
    total: rows[0]?.total ?? 0,
  };
}
