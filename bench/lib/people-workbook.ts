import { and, asc, eq, isNull } from 'drizzle-orm';
import { seededRandom } from '../../src/modules/demo/random.js';
import { orgUnit } from '../../src/modules/org/schema.js';
import { residentColumns } from '../../src/modules/people/columns.js';
import type { Executor } from '../../src/platform/db/index.js';
import { idNumberCheckChar } from '../../src/platform/id-number.js';
import { writeSheet } from '../../src/platform/tabular/xlsx.js';

/**
 * A residents workbook of `rows` people in the demo's buildings (valid, unique ID numbers). With
 * `households`, people come in households of 1–5 (a head, a spouse, children) sharing a room, with
 * 户号 and 与户主关系, as a register is; without, each is alone in a room drawn at random.
 */
export async function writeResidentWorkbook(
  ex: Executor,
  path: string,
  rows: number,
  { seed = 7, households = false } = {},
) {
  const buildings = await ex
    .select({ code: orgUnit.code, parentId: orgUnit.parentId })
    .from(orgUnit)
    .where(and(eq(orgUnit.kind, 'building'), isNull(orgUnit.deletedAt)))
    .orderBy(asc(orgUnit.code));
  const grids = new Map(
    (
      await ex.select({ id: orgUnit.id, code: orgUnit.code }).from(orgUnit).where(eq(orgUnit.kind, 'grid'))
    ).map((g) => [g.id, g.code]),
  );
  const r = seededRandom(seed);
  const surnames = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
  const given = '伟强磊军勇杰涛芳娜敏静丽艳娟霞秀英华慧';
  // A household's members in order: the head first.
  const relationsInOrder = ['户主', '配偶', '子', '女', '子'];
  const tags = ['独居', '低保', '残疾', '退役军人', '留守儿童', '新就业群体'];
  function* people() {
    let left = 0;
    let size = 0;
    let key = '';
    let home = { b: buildings[0], unit: 1, room: '101' };
    for (let i = 0; i < rows; i++) {
      // Birth dates spread over 1930–2019, sequence numbers from the row number: unique IDs.
      const day = i % 32_000;
      const birth = new Date(Date.UTC(1930, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
      const s = 1 + Math.floor(i / 32_000);
      const body = `150602${birth.replaceAll('-', '')}${String(s).padStart(3, '0')}`;
      if (households && left === 0) {
        size = left = r.int(1, 5);
        key = `H${i}`;
        home = {
          b: buildings[i % buildings.length],
          unit: r.int(1, 3),
          room: String(r.int(1, 18) * 100 + r.int(1, 4)),
        };
      }
      const member = households ? size - left-- : 0;
      const b = households ? home.b : buildings[i % buildings.length];
      yield {
        name: surnames[r.int(0, 19)] + given[r.int(0, 17)] + given[r.int(0, 17)],
        idNumber: body + idNumberCheckChar(body),
        ethnicity: r.next() < 0.88 ? '汉族' : '蒙古族',
        phone: `139${String(r.int(0, 99_999_999)).padStart(8, '0')}`,
        residenceStatus: r.pick(['户籍', '常住', '流动']),
        politicalStatus: r.next() < 0.08 ? '中共党员' : '群众',
        gridCode: grids.get(b.parentId!)!,
        buildingCode: b.code,
        unit: households ? home.unit : r.int(1, 3),
        room: households ? home.room : String(r.int(1, 18) * 100 + r.int(1, 4)),
        tags: r.next() < 0.1 ? r.pick(tags) : null,
        householdKey: households ? key : null,
        relation: households ? relationsInOrder[member] : null,
      };
    }
  }
  type P = ReturnType<typeof people> extends Generator<infer T> ? T : never;
  const keys = new Set([
    'name',
    'idNumber',
    'ethnicity',
    'phone',
    'residenceStatus',
    'politicalStatus',
    'gridCode',
    'buildingCode',
    'unit',
    'room',
    'tags',
    ...(households ? ['householdKey', 'relation'] : []),
  ]);
  return writeSheet<P>(
    path,
    '居民',
    residentColumns
      .filter((c) => keys.has(c.key))
      .map((c) => ({ header: c.header, value: (p: P) => p[c.key as keyof P] as string | number | null })),
    people(),
  );
}
