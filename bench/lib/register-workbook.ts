import { and, eq, inArray, isNull, like } from 'drizzle-orm';
import { seededRandom } from '../../src/modules/demo/random.js';
import { building, orgUnit } from '../../src/modules/org/schema.js';
import type { Executor } from '../../src/platform/db/index.js';
import { idNumberCheckChar } from '../../src/platform/id-number.js';
import { writeSheet } from '../../src/platform/tabular/xlsx.js';

/**
 * A residents workbook shaped as community registers are (issue 16): 姓名, 性别, 身份证号码, 民族,
 * 出生日期, 联系电话, 现住址, 与户主关系, 备注 — no 户号, no grid or building codes. `rows` people
 * in households of 1–5 (head first), each household in its own room of one of the demo's tower
 * buildings, its 现住址 written in four spellings that name the same room (with district and
 * street, "2-301", full-width digits, spaces), so the import must place every row by address and
 * form each household from the rows that share a house.
 */
export async function writeRegisterWorkbook(ex: Executor, path: string, rows: number, seed = 16) {
  const units = await ex
    .select({ id: orgUnit.id, kind: orgUnit.kind, name: orgUnit.name, parentId: orgUnit.parentId })
    .from(orgUnit)
    .where(
      and(inArray(orgUnit.kind, ['district', 'street', 'community', 'grid']), isNull(orgUnit.deletedAt)),
    );
  const byId = new Map(units.map((u) => [u.id, u]));
  const towers = await ex
    .select({ gridId: orgUnit.parentId, address: building.address })
    .from(orgUnit)
    .innerJoin(building, eq(building.orgUnitId, orgUnit.id))
    .where(and(eq(orgUnit.kind, 'building'), like(orgUnit.name, '%号楼'), isNull(orgUnit.deletedAt)))
    .orderBy(orgUnit.code);
  const places = towers.map((t) => {
    const community = byId.get(byId.get(t.gridId!)!.parentId!)!;
    const street = byId.get(community.parentId!)!;
    return { address: t.address!, street: street.name, district: byId.get(street.parentId!)!.name };
  });
  const r = seededRandom(seed);
  const surnames = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
  const given = '伟强磊军勇杰涛芳娜敏静丽艳娟霞秀英华慧';
  const relationsInOrder = ['户主', '配偶', '子', '女', '母'];
  const wide = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
  const spellings = [
    (p: (typeof places)[number], u: number, room: number) =>
      `${p.district}${p.street}${p.address}${u}单元${room}室`,
    (p: (typeof places)[number], u: number, room: number) => `${p.address}${u}-${room}`,
    (p: (typeof places)[number], u: number, room: number) => wide(`${p.address}${u}单元${room}`),
    (p: (typeof places)[number], u: number, room: number) => `${p.street} ${p.address} ${u}单元 ${room}室`,
  ];
  const n = places.length;
  function* people() {
    let household = -1;
    let left = 0;
    let size = 0;
    for (let i = 0; i < rows; i++) {
      if (left === 0) {
        household++;
        size = left = r.int(1, 5);
      }
      const member = size - left--;
      // A room of its own per household: building, then unit 1–3, then floor and door.
      const place = places[household % n];
      const unit = 1 + (Math.floor(household / n) % 3);
      const room =
        (1 + (Math.floor(household / (3 * n)) % 18)) * 100 + 1 + (Math.floor(household / (54 * n)) % 4);
      // Birth dates over 1930–2017 and sequence numbers from the row number: unique ID numbers.
      const day = i % 32_000;
      const birth = new Date(Date.UTC(1930, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
      const body = `150602${birth.replaceAll('-', '')}${String(1 + Math.floor(i / 32_000)).padStart(3, '0')}`;
      yield {
        name: surnames[r.int(0, 19)] + given[r.int(0, 17)] + given[r.int(0, 17)],
        gender: Number(body[16]) % 2 ? '男' : '女',
        idNumber: body + idNumberCheckChar(body),
        ethnicity: r.next() < 0.88 ? '汉族' : '蒙古族',
        birthDate: birth,
        phone: `139${String(r.int(0, 99_999_999)).padStart(8, '0')}`,
        address: spellings[(i + member) % spellings.length](place, unit, room),
        relation: relationsInOrder[member],
        note: null,
      };
    }
  }
  type P = ReturnType<typeof people> extends Generator<infer T> ? T : never;
  const column = (header: string, key: keyof P) => ({ header, value: (p: P) => p[key] });
  return writeSheet<P>(
    path,
    '居民',
    [
      column('姓名', 'name'),
      column('性别', 'gender'),
      column('身份证号码', 'idNumber'),
      column('民族', 'ethnicity'),
      column('出生日期', 'birthDate'),
      column('联系电话', 'phone'),
      column('现住址', 'address'),
      column('与户主关系', 'relation'),
      column('备注', 'note'),
    ],
    people(),
  );
}
