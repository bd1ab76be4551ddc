import { eq, sql } from 'drizzle-orm';
import { localDate } from '../../platform/calendar/work-calendar.js';
import type { AppContext } from '../../platform/context.js';
import { rowsOf } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import { findUserByLogin } from '../accounts/service.js';
import { post } from '../party/ledger.js';
import { quarterMonths, quarterOf } from '../party/rules.js';
import { pointsShopItem } from '../party/schema.js';
import { nameInitials } from '../people/describe.js';
import { resident } from '../people/schema.js';
import { demoIdNumber } from './accounts.js';
import { seconds } from './elapsed.js';
import type { DemoOrg } from './org.js';

/** The street catalogue every branch scores under: 巴林左旗's five fixed categories and common X items. */
const catalogue = [
  ['study', '参加“三会一课”和主题党日', 2, 6],
  ['study', '学习强国等线上学习达标', 1, 3],
  ['service', '认领并完成群众“微心愿”', 3, 9],
  ['service', '入户走访、帮办代办', 2, 6],
  ['prosperity', '带动群众增收、分享致富经验', 4, 12],
  ['discipline', '按时足额交纳党费', 1, 3],
  ['discipline', '无故缺席组织生活', -2, 6],
  ['integrity', '调解邻里纠纷、劝导不文明行为', 2, 6],
  ['x', '参加环境卫生集中整治', 2, 6],
  ['x', '加入暖心服务小分队开展邻里互助', 3, 9],
] as const;

const shop = [
  ['洗衣液', 10, 200, '东胜区共建单位爱心超市'],
  ['米面油礼包', 40, 80, '东胜区共建单位爱心超市'],
  ['免费理发', 8, 300, '社区志愿理发服务'],
  ['家电清洗服务', 25, 60, '辖区家政公司'],
] as const;

/** The demo party member's phone (王建军, see accounts.ts). */
export const demoMemberPhone = '13947700002';

/**
 * Party organisations along the demo district (street 党工委, community 党委, grid 党支部, a 党小组 in
 * some buildings), about 3 % of residents as members (chosen among the register's 中共党员), a year
 * of monthly entries, three quarters final in the passbooks, the last one published, and redemptions.
 */
export async function seedDemoParty(ctx: AppContext, org: DemoOrg, log: (msg: string) => void) {
  const started = Date.now();
  const [{ n }] = rowsOf<{ n: number }>(await ctx.db.execute(sql`select count(*)::int as n from party_org`));
  if (n > 0) return;
  const path = org.districtPath;
  const now = new Date();
  const current = quarterOf(localDate(now));
  const quarters = [3, 2, 1, 0].map((back) => shiftQuarter(current, -back - 1)); // the four before this one
  const months = [...quarters.flatMap((q) => quarterMonths(q).months), ...monthsSoFar(current, now)];
  // phone accounts are found by the phone's keyed hash (their username is masked)
  const account = await findUserByLogin(ctx, demoMemberPhone);
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`insert into party_org (id, kind, name, org_unit_id, org_path, district_code, founded_on)
      select gen_random_uuid(), 'workCommittee', u.name || '党工委', u.id, u.path, u.district_code, date '2001-07-01'
      from org_unit u where u.kind = 'street' and u.path <@ ${path}::ltree`);
    await tx.execute(sql`insert into party_org (id, kind, name, parent_id, org_unit_id, org_path, district_code, founded_on)
      select gen_random_uuid(), 'committee', u.name || '党委', p.id, u.id, u.path, u.district_code, date '2005-07-01'
      from org_unit u join party_org p on p.org_unit_id = u.parent_id
      where u.kind = 'community' and u.path <@ ${path}::ltree`);
    await tx.execute(sql`insert into party_org (id, kind, name, parent_id, org_unit_id, org_path, district_code, founded_on)
      select gen_random_uuid(), 'branch', u.name || '党支部', p.id, u.id, u.path, u.district_code, date '2018-07-01'
      from org_unit u join party_org p on p.org_unit_id = u.parent_id
      where u.kind = 'grid' and u.path <@ ${path}::ltree`);
    // a 党小组 in the first building of every fifth grid
    await tx.execute(sql`insert into party_org (id, kind, name, parent_id, org_unit_id, org_path, district_code, founded_on)
      select gen_random_uuid(), 'group', b.name || '党小组', p.id, b.id, b.path, b.district_code, date '2020-07-01'
      from (select distinct on (u.parent_id) u.* from org_unit u
            where u.kind = 'building' and u.path <@ ${path}::ltree order by u.parent_id, u.code) b
        join party_org p on p.org_unit_id = b.parent_id
      where abs(hashtext(b.parent_id::text)) % 5 = 0`);
    // the demo member's person on the register, in the grid of their account
    const grant = account
      ? rowsOf<{ orgUnitId: string; path: string }>(
          await tx.execute(sql`select org_unit_id as "orgUnitId", org_path::text as path from role_assignment
            where user_id = ${account.id}::uuid and role = 'partyMember' limit 1`),
        )[0]
      : undefined;
    if (account && grant) {
      const id = demoIdNumber(1);
      const [person] = await tx
        .insert(resident)
        .values({
          name: account.displayName,
          nameInitials: nameInitials(account.displayName),
          gender: 'male',
          birthDate: '1970-01-01',
          ethnicity: '01',
          idNumberCipher: ctx.pii.encrypt(id),
          idNumberIndex: ctx.pii.blindIndex(id),
          residenceStatus: 'registered',
          politicalStatus: 'partyMember',
          gridId: grant.orgUnitId,
          orgPath: grant.path,
          districtCode: org.districtPath.split('.').at(-1)!.slice(0, 6),
        })
        .onConflictDoNothing()
        .returning();
      if (person)
        await tx.execute(sql`insert into party_member (id, resident_id, user_id, party_org_id, org_path, district_code,
            joined_on, standing) select gen_random_uuid(), ${person.id}::uuid, ${account.id}::uuid, p.id, p.org_path,
            p.district_code, date '1998-07-01', 'full' from party_org p
          where p.org_unit_id = ${grant.orgUnitId}::uuid and p.kind = 'branch'`);
    }
    // about 3 % of residents: every other 中共党员 on the register, in the branch of their grid
    await tx.execute(sql`insert into party_member (id, resident_id, party_org_id, org_path, district_code, joined_on,
        standing, in_service, workplace, mobile, mobile_where)
      select gen_random_uuid(), r.id, p.id, p.org_path, p.district_code,
        make_date(1975 + abs(hashtext(r.id::text)) % 48, 1 + abs(hashtext(r.name)) % 12, 1),
        case when abs(hashtext(r.id::text)) % 20 = 0 then 'probationary' else 'full' end,
        abs(hashtext(r.id::text || 'w')) % 3 = 0,
        case when abs(hashtext(r.id::text || 'w')) % 3 = 0 then (array['东胜区人民医院','鄂尔多斯市第一中学','东胜区住建局','国网东胜供电公司'])[1 + abs(hashtext(r.name)) % 4] end,
        abs(hashtext(r.id::text || 'm')) % 25 = 0,
        case when abs(hashtext(r.id::text || 'm')) % 25 = 0 then (array['呼和浩特市','包头市','北京市'])[1 + abs(hashtext(r.name)) % 3] end
      from (select r.*, row_number() over (order by r.id_number_index) as k from resident r
            where r.political_status = 'partyMember' and r.status = 'active' and r.deleted_at is null
              and r.org_path <@ ${path}::ltree) r
        join party_org p on p.org_unit_id = r.grid_id and p.kind = 'branch'
      where r.k % 2 = 0
      on conflict do nothing`);
    await tx.execute(sql`insert into points_balance (member_id, balance) select id, 0 from party_member`);
    await tx.execute(sql`insert into membership_transfer (id, member_id, to_org_id, moved_on, reason)
      select gen_random_uuid(), id, party_org_id, coalesce(joined_on, date '2000-01-01'), '登记' from party_member`);
    // secretaries: the longest-standing member of each organisation with members
    await tx.execute(sql`update party_org o set secretary_member_id = s.id from (
        select distinct on (party_org_id) party_org_id, id from party_member order by party_org_id, joined_on, id) s
      where s.party_org_id = o.id`);
    // one catalogue per street 党工委; its branches score under it
    await tx.execute(sql`insert into points_catalog (id, party_org_id, version)
      select gen_random_uuid(), id, 1 from party_org where kind = 'workCommittee' and org_path <@ ${path}::ltree`);
    await tx.execute(sql`insert into points_item (id, catalog_id, category, name, points, cap_per_quarter, sort)
      select gen_random_uuid(), c.id, i.category, i.name, i.points, i.cap, i.sort
      from points_catalog c cross join (values ${sql.join(
        catalogue.map(
          ([cat, name, pts, cap], i) => sql`(${cat}, ${name}, ${pts}::int, ${cap}::int, ${i}::int)`,
        ),
        sql`, `,
      )}) as i(category, name, points, cap, sort)`);
    // a year of monthly entries: each item once a month for some members (减分 rarely)
    await tx.execute(sql`insert into points_entry (id, member_id, party_org_id, org_path, district_code, item_id,
        catalog_id, month, quarter, points, status, note)
      select gen_random_uuid(), m.id, m.party_org_id, m.org_path, m.district_code, i.id, c.id, mo::date,
        extract(year from mo)::int || 'Q' || extract(quarter from mo)::int, i.points, 'confirmed', '月记'
      from party_member m join party_org s on s.kind = 'workCommittee' and m.org_path <@ s.org_path
        join points_catalog c on c.party_org_id = s.id join points_item i on i.catalog_id = c.id
        cross join unnest(${`{${months.join(',')}}`}::date[]) as mo
      where abs(hashtext(m.id::text || i.id::text || mo::text)) % 100 < case when i.points < 0 then 3 else 45 end`);
    const [last, ...finals] = [...quarters].reverse();
    await tx.execute(sql`insert into points_quarter (id, party_org_id, org_path, quarter, status, reviewed_at, published_at,
        objection_until, final_at)
      select gen_random_uuid(), o.id, o.org_path, q.quarter, 'final', now(), now(), now(), now()
      from party_org o cross join unnest(${`{${finals.join(',')}}`}::text[]) as q(quarter)
      where exists (select 1 from party_member m where m.party_org_id = o.id)`);
    const publishedAt = new Date(now.getTime() - 86400_000);
    await tx.execute(sql`insert into points_quarter (id, party_org_id, org_path, quarter, status, reviewed_at, published_at,
        objection_until)
      select gen_random_uuid(), o.id, o.org_path, ${last}, 'published', ${publishedAt}, ${publishedAt},
        ${ctx.calendar.addWorkingDays(publishedAt, 5)}
      from party_org o where exists (select 1 from party_member m where m.party_org_id = o.id)`);
    // final quarters are in the passbooks: two lines a quarter, the member's and the issuing branch's
    await tx.execute(sql`with totals as (
        select e.member_id, e.party_org_id, q.id as quarter_id, q.quarter, sum(e.points)::int as amount,
          gen_random_uuid() as txn_id
        from points_entry e join points_quarter q on q.party_org_id = e.party_org_id and q.quarter = e.quarter
        where q.status = 'final' group by e.member_id, e.party_org_id, q.id, q.quarter having sum(e.points) > 0)
      insert into points_ledger (id, txn_id, account, account_id, amount, kind, quarter_id, memo, created_at)
      select gen_random_uuid(), txn_id, side.account, case side.account when 'member' then member_id else party_org_id end,
        case side.account when 'member' then amount else -amount end, 'earned', quarter_id, quarter || ' 季度积分',
        (${quarterEndSql()})
      from totals cross join (values ('member'), ('issuer')) as side(account)`);
    await tx.execute(sql`update points_balance b set balance = s.total from (
        select account_id, sum(amount)::int as total from points_ledger where account = 'member' group by account_id) s
      where s.account_id = b.member_id`);
    await tx.execute(sql`insert into points_shop_item (id, party_org_id, org_path, name, price, stock, supplier)
      select gen_random_uuid(), o.id, o.org_path, s.name, s.price, s.stock, s.supplier
      from party_org o cross join (values ${sql.join(
        shop.map(
          ([name, price, stock, supplier]) => sql`(${name}, ${price}::int, ${stock}::int, ${supplier})`,
        ),
        sql`, `,
      )}) as s(name, price, stock, supplier) where o.kind = 'committee' and o.org_path <@ ${path}::ltree`);
  });
  await seedRedemptions(ctx);
  const [c] = rowsOf<{ orgs: number; members: number; entries: number }>(
    await ctx.db.execute(sql`select (select count(*) from party_org)::int as orgs,
      (select count(*) from party_member)::int as members, (select count(*) from points_entry)::int as entries`),
  );
  log(`党建：${c.orgs} 个党组织、${c.members} 名党员、${c.entries} 条积分记录，${seconds(started)} 秒`);
}

/** Some members (and the demo member) have redeemed at their community's counter, through the ledger. */
async function seedRedemptions(ctx: AppContext) {
  const buyers = rowsOf<{ memberId: string; itemId: string; price: number; name: string; orgPath: string }>(
    await ctx.db.execute(sql`select m.id as "memberId", s.id as "itemId", s.price, s.name, s.org_path::text as "orgPath"
      from party_member m join points_balance b on b.member_id = m.id
        join points_shop_item s on m.org_path <@ s.org_path and s.price <= b.balance / 2
      where (abs(hashtext(m.id::text)) % 5 = 0 or m.user_id is not null)
        and abs(hashtext(m.id::text || s.id::text)) % 4 = 0
      order by m.id, s.price desc`),
  );
  const seen = new Set<string>();
  await ctx.db.transaction(async (tx) => {
    for (const b of buyers) {
      if (seen.has(b.memberId)) continue;
      seen.add(b.memberId);
      const redemptionId = newId();
      await post(tx, {
        memberId: b.memberId,
        amount: -b.price,
        kind: 'redeemed',
        counter: { account: 'shop', id: b.itemId },
        redemptionId,
        memo: `兑换「${b.name}」× 1`,
      });
      await tx.execute(sql`insert into points_redemption (id, item_id, member_id, org_path, quantity, points)
        values (${redemptionId}::uuid, ${b.itemId}::uuid, ${b.memberId}::uuid, ${b.orgPath}::ltree, 1, ${b.price})`);
      await tx
        .update(pointsShopItem)
        .set({ stock: sql`${pointsShopItem.stock} - 1` })
        .where(eq(pointsShopItem.id, b.itemId));
    }
  });
}

function shiftQuarter(q: string, by: number): string {
  const [y, n] = q.split('Q').map(Number);
  const k = y * 4 + (n - 1) + by;
  return `${Math.floor(k / 4)}Q${(k % 4) + 1}`;
}

/** The first days of the current quarter's months that have begun. */
function monthsSoFar(quarter: string, now: Date): string[] {
  const today = localDate(now);
  return quarterMonths(quarter).months.filter((m) => m <= today);
}

/** When a final quarter's points were credited: the day after it ended, Shanghai midnight. */
const quarterEndSql = () =>
  sql`(select (mq.d::timestamp + interval '1 month' * 3 + interval '10 days') at time zone 'Asia/Shanghai'
    from (select make_date(substr(quarter, 1, 4)::int, (substr(quarter, 6, 1)::int - 1) * 3 + 1, 1) as d) mq)`;
