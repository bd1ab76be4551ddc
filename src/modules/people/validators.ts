import type { FieldError } from '../../platform/errors.js';
import { parseIdNumber } from '../../platform/id-number.js';
import { type CareGroup, type DocumentType, difficultyTags, type Gender } from './codes.js';

/**
 * Pure checks and derivations of the people register: identity documents, phones, dates as people
 * write them, ages and care groups. No I/O; the services call these and save.
 */

/** Today's date in Asia/Shanghai as `YYYY-MM-DD` (ages and "not in the future" are local facts). */
export function shanghaiToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export interface IdentityInput {
  documentType: DocumentType;
  idNumber: string;
  birthDate?: string | null;
  gender?: Gender | null;
}

export interface Identity {
  documentType: DocumentType;
  /** Normalised: trimmed, upper case. */
  idNumber: string;
  birthDate: string;
  gender: Gender;
}

const compact = (s: string) => s.replace(/[\s\u3000]/g, '').toUpperCase();

/** A foreign or compatriot document: its format, or the reason it is not one. */
function foreignDocumentProblem(
  type: Exclude<DocumentType, 'idCard'>,
  id: string,
  today: string,
): string | null {
  const chinaStyle = (prefix: RegExp) => {
    if (!/^\d{17}[\dX]$/.test(id) || !prefix.test(id)) return false;
    return !('problem' in parseIdNumber(id, new Date(`${today}T23:59:59Z`)));
  };
  switch (type) {
    case 'foreignPermanentResidentId':
      // 2023 style: 18 characters starting with 9, GB 11643 check; 2017 style: 3 letters + 12 digits.
      return chinaStyle(/^9/) || /^[A-Z]{3}\d{12}$/.test(id) ? null : '外国人永久居留身份证号码格式不正确';
    case 'hkMacaoPermit':
      return chinaStyle(/^8[12]0000/) || /^[HM]\d{8,10}$/.test(id) ? null : '港澳居民证件号码格式不正确';
    case 'taiwanPermit':
      return chinaStyle(/^830000/) || /^\d{8}$/.test(id) ? null : '台湾居民证件号码格式不正确';
    case 'passport':
      return /^[A-Z0-9]{5,20}$/.test(id) ? null : '护照号码应为 5–20 位字母或数字';
  }
}

/**
 * Checks an identity document and fills in what it says: a resident ID card gives birth date and
 * gender (and must agree with them if they are given); other documents need both given.
 */
export function checkIdentity(input: IdentityInput, today = shanghaiToday()): Identity | FieldError[] {
  const idNumber = compact(input.idNumber);
  const errors: FieldError[] = [];
  if (input.birthDate && !isIsoDate(input.birthDate))
    errors.push({ path: 'birthDate', message: '出生日期格式应为 YYYY-MM-DD' });
  else if (input.birthDate && input.birthDate > today)
    errors.push({ path: 'birthDate', message: '出生日期不能晚于今天' });
  if (input.documentType === 'idCard') {
    const facts = parseIdNumber(idNumber, new Date(`${today}T23:59:59Z`));
    if ('problem' in facts) return [{ path: 'idNumber', message: facts.problem }, ...errors];
    if (errors.length) return errors;
    if (input.birthDate && input.birthDate !== facts.birthDate)
      return [{ path: 'birthDate', message: `出生日期与身份证号不符（身份证号为 ${facts.birthDate}）` }];
    if (input.gender && input.gender !== facts.gender)
      return [
        {
          path: 'gender',
          message: `性别与身份证号不符（身份证号为${facts.gender === 'male' ? '男' : '女'}）`,
        },
      ];
    return { documentType: 'idCard', idNumber, birthDate: facts.birthDate, gender: facts.gender };
  }
  const problem = foreignDocumentProblem(input.documentType, idNumber, today);
  if (problem) errors.unshift({ path: 'idNumber', message: problem });
  if (!input.birthDate && !errors.some((e) => e.path === 'birthDate'))
    errors.push({ path: 'birthDate', message: '非居民身份证须填写出生日期' });
  if (!input.gender) errors.push({ path: 'gender', message: '非居民身份证须填写性别' });
  if (errors.length) return errors;
  return { documentType: input.documentType, idNumber, birthDate: input.birthDate!, gender: input.gender! };
}

/** A mainland mobile number: 11 digits starting 13–19 (spaces, dashes and +86 tolerated). */
export function normalizePhone(raw: string): string | { problem: string } {
  const digits = raw.replace(/[\s\u3000-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  if (!/^1[3-9]\d{9}$/.test(digits)) return { problem: '手机号应为 11 位数字，以 13–19 开头' };
  return digits;
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const iso = (y: number, m: number, d: number) => {
  const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isIsoDate(s) ? s : null;
};

/**
 * A date as people enter it in a workbook: a Date cell, an Excel serial number, or text like
 * `1956-03-04`, `1956/3/4`, `1956.3.4`, `1956年3月4日`, `19560304`. Null when it is none of these.
 */
export function parseLooseDate(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > 2958465) return null;
    // Excel's day 1 is 1900-01-01 and it counts a 29 February 1900 that never was.
    const ms = Date.UTC(1899, 11, 30) + value * 86400_000;
    return new Date(ms).toISOString().slice(0, 10);
  }
  const s = String(value)
    .trim()
    .replace(/\u3000/g, '');
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}

/** Whole years from `birthDate` to `today` (both `YYYY-MM-DD`). */
export function ageOn(birthDate: string, today = shanghaiToday()): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** The latest birth date of someone who is at least `years` old on `today`. */
export function bornOnOrBefore(years: number, today = shanghaiToday()): string {
  const [y, m, d] = today.split('-').map(Number);
  // 29 February birthdays count on 1 March in common years, as ageOn does.
  return iso(y - years, m, d) ?? iso(y - years, 2, 28)!;
}

export interface CareFacts {
  careGroups: CareGroup[];
  /** 高龄: 80 or older, marked within `elderly`. */
  advancedAge: boolean;
  age: number;
}

/** 一老一小一困: elderly from 60, child under 18, inDifficulty from tags. */
export function careFactsOf(birthDate: string, tags: readonly string[], today = shanghaiToday()): CareFacts {
  const age = ageOn(birthDate, today);
  const careGroups: CareGroup[] = [];
  if (age >= 60) careGroups.push('elderly');
  if (age < 18) careGroups.push('child');
  if (tags.some((t) => (difficultyTags as string[]).includes(t))) careGroups.push('inDifficulty');
  return { careGroups, advancedAge: age >= 80, age };
}

/** Age bands for statistics, as 一表通 reports count them. */
export const ageBands = [
  { key: '0-6', min: 0, max: 6 },
  { key: '7-17', min: 7, max: 17 },
  { key: '18-34', min: 18, max: 34 },
  { key: '35-59', min: 35, max: 59 },
  { key: '60-79', min: 60, max: 79 },
  { key: '80+', min: 80, max: 200 },
] as const;
