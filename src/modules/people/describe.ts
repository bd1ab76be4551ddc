import { pinyin } from 'pinyin-pro';
import { maskIdNumber, maskPhone, type PiiCipher } from '../../platform/crypto.js';
import type { DocumentType, Gender, PoliticalStatus, ResidenceStatus, ResidentStatus } from './codes.js';
import type { resident } from './schema.js';
import { careFactsOf, shanghaiToday } from './validators.js';

export type ResidentRow = typeof resident.$inferSelect;

const initialsCache = new Map<string, string>();

/** Pinyin initials of a name, surnames read as surnames (单 → s, 曾 → z). */
export function nameInitials(name: string): string {
  let hit = initialsCache.get(name);
  if (hit === undefined) {
    hit = pinyin(name, { pattern: 'first', toneType: 'none', surname: 'head', type: 'array' })
      .join('')
      .toLowerCase()
      .replace(/[^a-z]/g, '');
    if (initialsCache.size > 50_000) initialsCache.clear();
    initialsCache.set(name, hit);
  }
  return hit;
}

export interface Membership {
  householdId: string | null;
  relation: string | null;
  address?: string | null;
  /** The resident's grid with its community (see unitLabelSql). */
  gridName: string | null;
}

/** A resident as every response shows it: ID number and phone masked, care groups derived. */
export function describeResident(pii: PiiCipher, r: ResidentRow, m: Membership, today = shanghaiToday()) {
  const care = careFactsOf(r.birthDate, r.tags, today);
  return {
    id: r.id,
    name: r.name,
    gender: r.gender as Gender,
    birthDate: r.birthDate,
    age: care.age,
    ethnicity: r.ethnicity,
    documentType: r.documentType as DocumentType,
    idNumber: maskIdNumber(pii.decrypt(r.idNumberCipher)),
    phone: r.phoneCipher ? maskPhone(pii.decrypt(r.phoneCipher)) : null,
    residenceStatus: r.residenceStatus as ResidenceStatus,
    politicalStatus: r.politicalStatus as PoliticalStatus,
    education: r.education,
    employment: r.employment,
    employer: r.employer,
    healthNotes: r.healthNotes,
    tags: r.tags,
    careGroups: care.careGroups,
    advancedAge: care.advancedAge,
    status: r.status as ResidentStatus,
    gridId: r.gridId,
    gridName: m.gridName,
    houseId: r.houseId,
    address: m.address ?? null,
    householdId: m.householdId,
    relation: m.relation,
    orgPath: r.orgPath,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
export type ResidentOut = ReturnType<typeof describeResident>;
