import { eq } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { orgUnit } from '../org/schema.js';

export const demoDistrictCode = '150602';

export interface DemoOrg {
  districtId: string;
  districtPath: string;
}

/** The demo's place: 内蒙古自治区 → 鄂尔多斯市 → 东胜区. */
export async function seedDemoOrg(ctx: AppContext, _log: (msg: string) => void): Promise<DemoOrg> {
  const chain = [
    { kind: 'region', code: '15', name: '内蒙古自治区' },
    { kind: 'city', code: '1506', name: '鄂尔多斯市' },
    { kind: 'district', code: demoDistrictCode, name: '东胜区' },
  ];
  let parent: { id: string; path: string } | null = null;
  for (const [level, unit] of chain.entries()) {
    const path: string = parent ? `${parent.path}.${unit.code}` : unit.code;
    const [existing] = await ctx.db.select().from(orgUnit).where(eq(orgUnit.code, unit.code));
    const row: typeof orgUnit.$inferSelect =
      existing ??
      (
        await ctx.db
          .insert(orgUnit)
          .values({
            ...unit,
            parentId: parent?.id ?? null,
            path,
            level,
            districtCode: unit.kind === 'district' ? unit.code : null,
          })
          .returning()
      )[0];
    parent = { id: row.id, path: row.path };
  }
  return { districtId: parent!.id, districtPath: parent!.path };
}
