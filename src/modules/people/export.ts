import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { audit } from '../../platform/audit/service.js';
import { can, grantsFor, pathWithin, scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { maskIdNumber, maskPhone } from '../../platform/crypto.js';
import { maskPiiInText } from '../../platform/pii-text.js';
import { writeSheet } from '../../platform/tabular/xlsx.js';
import { orgUnit } from '../org/schema.js';
import {
  documentTypes,
  educations,
  ethnicGroups,
  genders,
  politicalStatuses,
  residenceStatuses,
  residentStatuses,
  residentTags,
} from './codes.js';
import { residentColumns } from './columns.js';
import { type ResidentQuery, residentFilter } from './residents-query.js';
import { house, resident } from './schema.js';

/**
 * Any filtered resident list as an xlsx workbook, written as it is read (keyset pages), with the
 * import's headers so the file can be edited and imported again. ID numbers and phones are masked,
 * and so are numbers written into free text (notes, employer, address), unless the export was asked
 * for unmasked, with a reason, by someone holding `resident.exportPII` over the person's place.
 * Every export is audited with its filters, count, reason and the requester's address.
 */
export type ResidentExportQuery = Omit<ResidentQuery, 'page' | 'pageSize' | 'sort' | 'order'>;

export interface ResidentExportRequest {
  filters: ResidentExportQuery;
  /** Full ID numbers and phones where the caller holds `resident.exportPII`; masked elsewhere. */
  unmasked: boolean;
  reason: string | null;
}

/** What an export will hold before it starts: how many people, and how many of them unmasked. */
export async function countResidentExport(
  ctx: AppContext,
  caller: Caller,
  q: ResidentExportQuery,
  unmasked: boolean,
): Promise<{ rows: number; unmasked: number }> {
  const where = await residentFilter(ctx, caller, q);
  if (!where) return { rows: 0, unmasked: 0 };
  const full =
    unmasked && can(caller.user, 'resident.exportPII')
      ? scopeFilter(caller.user, 'resident.exportPII', resident.orgPath)
      : sql`false`;
  const [row] = await ctx.db
    .select({
      rows: sql<number>`count(*)`.mapWith(Number),
      unmasked: sql<number>`count(*) filter (where ${full})`.mapWith(Number),
    })
    .from(resident)
    .where(where);
  return row;
}

const gridUnit = alias(orgUnit, 'grid_unit');
const buildingUnit = alias(orgUnit, 'building_unit');

const label = <T extends Record<string, string>>(labels: T, key: string | null) =>
  key === null ? null : ((labels as Record<string, string>)[key] ?? key);

interface Out {
  r: typeof resident.$inferSelect;
  gridCode: string | null;
  buildingCode: string | null;
  unit: number | null;
  room: string | null;
  address: string | null;
  idNumber: string;
  phone: string | null;
  /** Free text as this exporter may see it: numbers written into it masked unless `show`. */
  text: (value: string | null) => string | null;
}

export async function exportResidents(
  ctx: AppContext,
  caller: Caller,
  request: ResidentExportRequest,
  path: string,
): Promise<{ rows: number; masked: boolean }> {
  const q = request.filters;
  const where = await residentFilter(ctx, caller, q);
  const piiRoots =
    caller.user && request.unmasked ? grantsFor(caller.user, 'resident.exportPII').map((g) => g.orgPath) : [];
  const full = (orgPath: string) => piiRoots.some((root) => pathWithin(orgPath, root));
  let revealed = 0;
  // Small pages, and requests answered between slices of rows: an export must not stall the console.
  const pageSize = 250;
  const pause = ctx.database.turns.slices();
  async function* rows(): AsyncGenerator<Out> {
    if (!where) return;
    let last: string | null = null;
    for (;;) {
      const page = await ctx.db
        .select({
          r: resident,
          gridCode: gridUnit.code,
          buildingCode: buildingUnit.code,
          unit: house.unit,
          room: house.room,
          address: house.address,
        })
        .from(resident)
        .leftJoin(gridUnit, eq(gridUnit.id, resident.gridId))
        .leftJoin(house, eq(house.id, resident.houseId))
        .leftJoin(buildingUnit, eq(buildingUnit.id, house.buildingId))
        .where(last ? and(where, gt(resident.id, last)) : where)
        .orderBy(asc(resident.id))
        .limit(pageSize);
      for (const row of page) {
        const idNumber = ctx.pii.decrypt(row.r.idNumberCipher);
        const phone = row.r.phoneCipher ? ctx.pii.decrypt(row.r.phoneCipher) : null;
        const show = full(row.r.orgPath);
        if (show) revealed++;
        yield {
          ...row,
          idNumber: show ? idNumber : maskIdNumber(idNumber),
          phone: phone && (show ? phone : maskPhone(phone)),
          text: (value) => (value && !show ? maskPiiInText(value) : value),
        };
        await pause();
      }
      if (page.length < pageSize) return;
      last = page[page.length - 1].r.id;
    }
  }
  const value: Record<string, (o: Out) => string | number | null> = {
    name: (o) => o.r.name,
    documentType: (o) => label(documentTypes, o.r.documentType),
    idNumber: (o) => o.idNumber,
    gender: (o) => label(genders, o.r.gender),
    birthDate: (o) => o.r.birthDate,
    ethnicity: (o) => label(ethnicGroups, o.r.ethnicity),
    phone: (o) => o.phone,
    residenceStatus: (o) => label(residenceStatuses, o.r.residenceStatus),
    politicalStatus: (o) => label(politicalStatuses, o.r.politicalStatus),
    education: (o) => label(educations, o.r.education),
    employment: (o) => o.text(o.r.employment),
    employer: (o) => o.text(o.r.employer),
    healthNotes: (o) => o.text(o.r.healthNotes),
    gridCode: (o) => o.gridCode,
    buildingCode: (o) => o.buildingCode,
    unit: (o) => o.unit,
    room: (o) => o.room,
    address: (o) => (o.buildingCode ? null : o.text(o.address)),
    tags: (o) => o.r.tags.map((t) => label(residentTags, t)).join('、') || null,
    // Left empty: a filtered export may hold members without their head, and an empty 户号
    // leaves households as they are on re-import.
    householdKey: () => null,
    relation: () => null,
    registrationType: () => null,
  };
  const count = await writeSheet<Out>(
    path,
    '居民',
    [
      ...residentColumns.map((c) => ({
        header: c.header,
        width: c.key === 'idNumber' || c.key === 'address' ? 22 : c.key === 'gridCode' ? 20 : 12,
        value: value[c.key],
      })),
      { header: '状态', value: (o: Out) => label(residentStatuses, o.r.status) },
      { header: '详细地址', width: 28, value: (o: Out) => o.text(o.address) },
    ],
    rows(),
  );
  const masked = revealed === 0;
  const scope = caller.user ? (grantsFor(caller.user, 'resident.export')[0]?.orgPath ?? null) : null;
  // The reason is the exporter's own words: a number written into it is masked like any free text.
  const reason = request.reason ? maskPiiInText(request.reason) : null;
  await audit(ctx.db, caller, {
    action: 'resident.exported',
    targetType: 'resident',
    orgPath: scope,
    summary: `导出居民 ${count} 人（${masked ? '证件号码、手机号已脱敏' : `含 ${revealed} 人完整证件号码和手机号；理由：${reason}`}）`,
    details: { filters: q, rows: count, unmasked: revealed, ...(request.unmasked ? { reason } : {}) },
  });
  return { rows: count, masked };
}
