import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { rowsOf } from '../../platform/db/index.js';
import { idNumberCheckChar } from '../../platform/id-number.js';
import { newId } from '../../platform/ids.js';
import { building, orgUnit } from '../org/schema.js';
import { subtreeOf } from '../org/units.js';
import type { ResidentTag } from '../people/codes.js';
import { nameInitials } from '../people/describe.js';
import { house, household, householdMember, resident } from '../people/schema.js';
import { shanghaiToday } from '../people/validators.js';
import { type BulkLoad, bulkLoad, type CopyValue } from './copy.js';
import { seconds } from './elapsed.js';
import { type Random, seededRandom } from './random.js';

/**
 * The demo's people: households in the generated buildings, with realistic Chinese and Mongolian
 * names (surnames by frequency), valid ID numbers (Inner Mongolian area codes, GB 11643 checksums),
 * Dongsheng's ethnic mix and an age pyramid of the 2020 census shape. One deterministic stream of
 * households: the small demo is a prefix of the full one, so `--scale full` after `small` adds the
 * rest, and running either again adds nothing.
 */
export const demoResidentCounts = { small: 20_000, full: 580_800 } as const;

// Surnames with their approximate frequency (per mille of the Han population).
const surnames: [string, number][] = [
  ['王', 72],
  ['李', 71],
  ['张', 68],
  ['刘', 53],
  ['陈', 45],
  ['杨', 31],
  ['赵', 22],
  ['黄', 22],
  ['周', 21],
  ['吴', 20],
  ['徐', 16],
  ['孙', 15],
  ['胡', 13],
  ['朱', 13],
  ['高', 12],
  ['林', 12],
  ['何', 12],
  ['郭', 12],
  ['马', 11],
  ['罗', 9],
  ['梁', 9],
  ['宋', 8],
  ['郑', 8],
  ['谢', 7],
  ['韩', 7],
  ['唐', 6],
  ['冯', 6],
  ['于', 6],
  ['董', 6],
  ['萧', 5],
  ['程', 5],
  ['曹', 5],
  ['袁', 5],
  ['邓', 5],
  ['许', 5],
  ['傅', 5],
  ['沈', 4],
  ['曾', 4],
  ['彭', 4],
  ['吕', 4],
  ['苏', 4],
  ['卢', 4],
  ['蒋', 4],
  ['蔡', 4],
  ['贾', 4],
  ['丁', 4],
  ['魏', 4],
  ['薛', 4],
  ['叶', 4],
  ['阎', 3],
  ['余', 3],
  ['潘', 3],
  ['杜', 3],
  ['戴', 3],
  ['夏', 3],
  ['钟', 3],
  ['汪', 3],
  ['田', 3],
  ['任', 3],
  ['姜', 3],
  ['范', 3],
  ['方', 3],
  ['石', 3],
  ['姚', 3],
  ['谭', 2],
  ['廖', 2],
  ['邹', 2],
  ['熊', 2],
  ['金', 2],
  ['陆', 2],
  ['郝', 2],
  ['孔', 2],
  ['白', 2],
  ['崔', 2],
  ['康', 2],
  ['毛', 2],
  ['邱', 2],
  ['秦', 2],
  ['江', 2],
  ['史', 2],
  ['顾', 2],
  ['侯', 2],
  ['邵', 2],
  ['孟', 2],
  ['龙', 2],
  ['万', 2],
  ['段', 2],
  ['乔', 2],
  ['单', 1],
  ['尹', 1],
  ['常', 1],
  ['武', 1],
  ['贺', 1],
  ['温', 1],
  ['樊', 1],
  ['兰', 1],
];
const maleChars = [...'伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国志海峰亮'];
const femaleChars = [...'芳娜敏静丽艳娟霞秀英华慧巧美玲燕萍红琳雪梅莉婷洁琴云莹倩颖佳欣怡晶'];
// Mongolian names, written in Chinese characters as the register records them (no surname).
const mongolianMale = [
  '巴特尔',
  '乌力吉',
  '额尔敦',
  '朝鲁',
  '宝音',
  '布和',
  '孟和',
  '那顺',
  '阿拉坦',
  '巴图',
  '苏和',
  '达来',
  '哈斯',
  '毕力格',
  '满都拉',
  '图门',
  '特木尔',
  '巴雅尔',
  '吉日嘎拉',
  '恩和',
  '额尔德尼',
  '斯琴巴特尔',
  '巴音',
  '格日勒图',
  '青格勒',
];
const mongolianFemale = [
  '其其格',
  '乌兰',
  '娜仁',
  '斯琴',
  '苏日娜',
  '图雅',
  '萨仁',
  '敖登',
  '格日勒',
  '塔娜',
  '高娃',
  '阿拉腾',
  '琪琪格',
  '萨日娜',
  '乌云',
  '托娅',
  '其木格',
  '娜仁花',
  '斯琴高娃',
  '乌日娜',
  '哈斯高娃',
  '额尔敦其其格',
  '那仁',
  '包玉',
  '诺敏',
];
const mongolianSurnames = ['包', '白', '韩', '奇', '鲍', '云', '宝', '那'];

const ethnicMix: [string, number][] = [
  ['01', 874],
  ['02', 103],
  ['03', 9],
  ['11', 7],
  ['31', 2],
  ['45', 2],
  ['10', 1],
  ['07', 1],
  ['08', 1],
];
// Age pyramid in five-year bands (share per mille), 2020 census shape.
const ageBands: [number, number][] = [
  [0, 53],
  [5, 64],
  [10, 63],
  [15, 52],
  [20, 53],
  [25, 66],
  [30, 88],
  [35, 70],
  [40, 66],
  [45, 82],
  [50, 84],
  [55, 71],
  [60, 52],
  [65, 50],
  [70, 34],
  [75, 22],
  [80, 14],
  [85, 7],
  [90, 3],
];
const homeAreas: [string, number][] = [
  ['150602', 70],
  ['150603', 6],
  ['150621', 6],
  ['150622', 4],
  ['150627', 4],
  ['150102', 3],
  ['150202', 3],
  ['152801', 2],
  ['150423', 2],
];
const migrantAreas: [string, number][] = [
  ['140602', 4],
  ['610802', 4],
  ['152921', 2],
  ['150602', 3],
  ['620102', 1],
  ['130102', 1],
];
const mobilePrefixes = [
  '138',
  '139',
  '135',
  '136',
  '137',
  '150',
  '151',
  '152',
  '158',
  '159',
  '182',
  '187',
  '188',
  '130',
  '131',
  '132',
  '155',
  '156',
  '185',
  '186',
  '133',
  '153',
  '180',
  '181',
  '189',
  '177',
  '199',
];

interface Person {
  name: string;
  gender: 'male' | 'female';
  age: number;
  relation: string;
  ethnicity: string;
}

function pickAge(r: Random, min = 0, max = 99): number {
  for (;;) {
    const band = r.weighted(ageBands);
    const age = band + r.int(0, 4);
    if (age >= min && age <= max) return age;
  }
}

function nameFor(r: Random, gender: 'male' | 'female', ethnicity: string, surname?: string): string {
  if (ethnicity === '02' && r.next() < 0.75) {
    const given = r.pick(gender === 'male' ? mongolianMale : mongolianFemale);
    return r.next() < 0.25 ? `${r.pick(mongolianSurnames)}${given}` : given;
  }
  const chars = gender === 'male' ? maleChars : femaleChars;
  const s = surname ?? r.weighted(surnames);
  const given = r.next() < 0.7 ? r.pick(chars) + r.pick(chars) : r.pick(chars);
  return s + given;
}

/** One household: head, then spouse, children and perhaps a parent, with relations (GB/T 4761). */
function householdPeople(r: Random): Person[] {
  const size = r.weighted([
    [1, 25],
    [2, 30],
    [3, 25],
    [4, 12],
    [5, 8],
  ] as const);
  const ethnicity = r.weighted(ethnicMix);
  const headGender = r.next() < 0.7 ? 'male' : 'female';
  const headAge = pickAge(r, size === 1 ? 20 : 25, 95);
  const surname = r.weighted(surnames);
  const people: Person[] = [
    {
      name: nameFor(r, headGender, ethnicity, surname),
      gender: headGender,
      age: headAge,
      relation: '02',
      ethnicity,
    },
  ];
  if (size >= 2) {
    const g = headGender === 'male' ? 'female' : 'male';
    const e = r.next() < 0.85 ? ethnicity : r.weighted(ethnicMix);
    const age = Math.max(20, Math.min(99, headAge + r.int(-4, 4)));
    people.push({ name: nameFor(r, g, e), gender: g, age, relation: '10', ethnicity: e });
  }
  for (let i = 2; i < size; i++) {
    const childAge = headAge - r.int(22, 36);
    if (childAge >= 0) {
      const g = r.next() < 0.51 ? 'male' : 'female';
      people.push({
        name: nameFor(r, g, ethnicity, surname),
        gender: g,
        age: childAge,
        relation: g === 'male' ? '20' : '30',
        ethnicity,
      });
    } else {
      const g = r.next() < 0.4 ? 'male' : 'female';
      const age = Math.min(99, headAge + r.int(24, 32));
      people.push({
        name: nameFor(r, g, ethnicity, surname),
        gender: g,
        age,
        relation: g === 'male' ? '51' : '52',
        ethnicity,
      });
    }
  }
  return people;
}

interface Slot {
  gridId: string;
  buildingId: string;
  orgPath: string;
  address: string;
  unit: number;
  floor: number;
  room: string;
}

/** Every room of every building of the district, in a shuffled (seeded) order. */
async function roomsOf(ctx: AppContext, districtPath: string, r: Random): Promise<Slot[]> {
  const rows = await ctx.db
    .select({
      id: orgUnit.id,
      gridId: orgUnit.parentId,
      path: orgUnit.path,
      name: orgUnit.name,
      address: building.address,
      units: building.units,
      floors: building.floors,
      perUnit: building.householdsPerUnit,
    })
    .from(orgUnit)
    .innerJoin(building, eq(building.orgUnitId, orgUnit.id))
    .where(
      and(eq(orgUnit.kind, 'building'), subtreeOf(orgUnit.path, districtPath), isNull(orgUnit.deletedAt)),
    )
    .orderBy(asc(orgUnit.code));
  const slots: Slot[] = [];
  for (const b of rows) {
    const perFloor = Math.max(1, Math.round(b.perUnit / b.floors));
    for (let u = 1; u <= b.units; u++)
      for (let f = 1; f <= b.floors; f++)
        for (let k = 1; k <= perFloor; k++)
          slots.push({
            gridId: b.gridId!,
            buildingId: b.id,
            orgPath: b.path,
            address: `${b.address ?? b.name}${b.units > 1 ? `${u}单元` : ''}${f}${String(k).padStart(2, '0')}室`,
            unit: u,
            floor: f,
            room: `${f}${String(k).padStart(2, '0')}`,
          });
  }
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }
  return slots;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

// Column lists of the COPY batches, in the order the rows below are built.
const houseColumns = [
  'id',
  'grid_id',
  'building_id',
  'unit',
  'floor',
  'room',
  'address',
  'use',
  'area',
  'owner_name',
  'org_path',
  'district_code',
];
const householdColumns = [
  'id',
  'house_id',
  'head_resident_id',
  'registration_type',
  'org_path',
  'district_code',
];
const residentColumns = [
  'id',
  'name',
  'name_initials',
  'gender',
  'birth_date',
  'ethnicity',
  'document_type',
  'id_number_cipher',
  'id_number_index',
  'phone_cipher',
  'phone_index',
  'residence_status',
  'political_status',
  'education',
  'tags',
  'grid_id',
  'house_id',
  'org_path',
  'district_code',
];
const memberColumns = ['id', 'household_id', 'resident_id', 'relation'];

/** Adds the demo's households and residents up to the scale's count (nothing when they are there). */
export async function seedDemoPeople(
  ctx: AppContext,
  org: { districtPath: string },
  scale: 'small' | 'full',
  log: (msg: string) => void,
  target: number = demoResidentCounts[scale],
) {
  const started = Date.now();
  const [{ n: existing }] = await ctx.db
    .select({ n: count() })
    .from(resident)
    .where(subtreeOf(resident.orgPath, org.districtPath));
  if (existing >= target) return { created: 0 };
  const r = seededRandom(580800);
  const slots = await roomsOf(ctx, org.districtPath, seededRandom(4761));
  if (!slots.length) return { created: 0 };
  const today = shanghaiToday();
  const [ty, tm, td] = today.split('-').map(Number);
  const seq = new Map<string, number>();
  let made = 0;
  let created = 0;
  let houseRows: CopyValue[][] = [];
  let householdRows: CopyValue[][] = [];
  let residentRows: CopyValue[][] = [];
  let memberRows: CopyValue[][] = [];
  let bulk: BulkLoad | undefined;
  const flush = async () => {
    if (!residentRows.length) return;
    await bulk!.copy([
      { table: 'house', columns: houseColumns, rows: houseRows },
      { table: 'household', columns: householdColumns, rows: householdRows },
      { table: 'resident', columns: residentColumns, rows: residentRows },
      { table: 'household_member', columns: memberColumns, rows: memberRows },
    ]);
    created += residentRows.length;
    houseRows = [];
    householdRows = [];
    residentRows = [];
    memberRows = [];
  };
  // One transaction of COPYs; on a register with no people yet, indexes are built once at the end.
  const [{ empty }] = rowsOf<{ empty: boolean }>(
    await ctx.db.execute(sql`select not exists (select 1 from ${house}) and not exists (select 1 from ${household})
      and not exists (select 1 from ${resident}) and not exists (select 1 from ${householdMember}) as empty`),
  );
  const tables = ['house', 'household', 'resident', 'household_member'];
  await bulkLoad(ctx.database, { rebuildIndexesOf: empty ? tables : [] }, async (load) => {
    bulk = load;
    for (let h = 0; made < target; h++) {
      // The whole stream is drawn every time (cheap), so household h is the same on every run.
      const people = householdPeople(r);
      const floating = r.next() < 0.18;
      const registration = floating ? 'unregistered' : 'registered';
      const extras = people.map((p) => {
        const day = r.int(0, 364);
        const area = r.weighted(floating ? migrantAreas : homeAreas);
        let birthDate = iso(new Date(Date.UTC(ty - p.age - 1, tm - 1, td + 1 + day)));
        if (birthDate > today) birthDate = today;
        // Sequence: odd for men, even for women, counted per area and birthday over the whole stream.
        const key = `${area}${birthDate}`;
        const n = (seq.get(key) ?? 0) + 1;
        seq.set(key, n);
        const s = String((n * 2 - (p.gender === 'male' ? 1 : 0)) % 1000 || 2).padStart(3, '0');
        const body = `${area}${birthDate.replaceAll('-', '')}${s}`;
        return {
          birthDate,
          idNumber: body + idNumberCheckChar(body),
          phone:
            r.next() < 0.8
              ? `${r.pick(mobilePrefixes)}${String(r.int(0, 99_999_999)).padStart(8, '0')}`
              : null,
          roll: r.next(),
          roll2: r.next(),
        };
      });
      const skip = made < existing;
      made += people.length;
      if (skip) continue;
      const slot = slots[h % slots.length];
      const round = Math.floor(h / slots.length);
      const houseId = newId();
      const householdId = newId();
      const districtCode = '150602';
      const room = round ? `${slot.room}-${round}` : slot.room;
      houseRows.push([
        houseId,
        slot.gridId,
        slot.buildingId,
        slot.unit,
        slot.floor,
        room,
        round ? `${slot.address}-${round}` : slot.address,
        floating ? 'rented' : 'selfOccupied',
        50 + Math.floor(extras[0].roll * 90),
        people[0].name,
        slot.orgPath,
        districtCode,
      ]);
      const ids = people.map(() => newId());
      householdRows.push([householdId, houseId, ids[0], registration, slot.orgPath, districtCode]);
      const elderlyHome = people.every((p) => p.age >= 60);
      people.forEach((p, i) => {
        const x = extras[i];
        const { birthDate, idNumber } = x;
        const tags: ResidentTag[] = [];
        if (people.length === 1 && p.age >= 60 && x.roll < 0.6) tags.push('livesAlone');
        if (elderlyHome && people.length === 2) tags.push('emptyNest');
        if (x.roll2 < 0.02) tags.push('lowIncome');
        else if (x.roll2 < 0.022) tags.push('extremePoverty');
        if (x.roll2 > 0.96) tags.push('disabled');
        if (p.gender === 'male' && p.age >= 40 && x.roll > 0.97) tags.push('veteran');
        if (p.age < 16 && x.roll < 0.03) tags.push('leftBehindChild');
        if (p.age >= 20 && p.age <= 45 && x.roll2 > 0.5 && x.roll2 < 0.53) tags.push('gigWorker');
        if (x.roll2 > 0.7 && x.roll2 < 0.702) tags.push('overseasFamily');
        const adult = p.age >= 18;
        const political =
          adult && x.roll < 0.09
            ? 'partyMember'
            : p.age >= 14 && p.age <= 28 && x.roll < 0.35
              ? 'youthLeague'
              : 'masses';
        const education =
          p.age < 7
            ? null
            : p.age < 13
              ? 'primary'
              : p.age < 16
                ? 'juniorHigh'
                : p.age >= 70
                  ? (['none', 'primary', 'juniorHigh'] as const)[Math.floor(x.roll2 * 3)]
                  : (
                      [
                        'juniorHigh',
                        'seniorHigh',
                        'vocational',
                        'juniorCollege',
                        'bachelor',
                        'bachelor',
                        'master',
                      ] as const
                    )[Math.floor(x.roll2 * 7)];
        const phone = adult ? x.phone : null;
        residentRows.push([
          ids[i],
          p.name,
          nameInitials(p.name),
          p.gender,
          birthDate,
          p.ethnicity,
          'idCard',
          ctx.pii.encrypt(idNumber),
          ctx.pii.blindIndex(idNumber),
          phone ? ctx.pii.encrypt(phone) : null,
          phone ? ctx.pii.blindIndex(phone) : null,
          floating ? (x.roll < 0.85 ? 'floating' : 'lodging') : x.roll < 0.8 ? 'registered' : 'permanent',
          political,
          education,
          tags,
          slot.gridId,
          houseId,
          slot.orgPath,
          districtCode,
        ]);
        memberRows.push([newId(), householdId, ids[i], p.relation]);
      });
      if (residentRows.length >= 5000) {
        await flush();
        if (created % 50_000 < 5000) log(`居民：已生成 ${existing + created} / ${target}`);
      }
    }
    await flush();
  });
  log(`居民：新增 ${created} 人（共 ${existing + created}），${seconds(started)} 秒`);
  return { created };
}
