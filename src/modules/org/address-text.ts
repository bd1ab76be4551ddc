/**
 * Address text as people write it, made comparable: the pure half of the address matcher. A
 * community register writes "东胜区交通街道吉劳庆社区12号楼3单元1502室", a 12345 export
 * "鄂尔多斯市东胜区交通街道某小区１２＃ 3-1502", a building card "12栋"; all of them name the same
 * building, unit and room once normalised and parsed here.
 */

const cnDigits: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 一 … 九十九 as a number (十二 = 12, 二十 = 20, 二十三 = 23), or null. */
export function chineseNumber(s: string): number | null {
  if (!s || s.length > 3) return null;
  if (s.length === 1) return s === '十' ? 10 : (cnDigits[s] ?? null);
  const ten = s.indexOf('十');
  if (ten < 0) return null;
  const tens = ten === 0 ? 1 : cnDigits[s.slice(0, ten)];
  const ones = ten === s.length - 1 ? 0 : cnDigits[s.slice(ten + 1)];
  return tens === undefined || ones === undefined || tens === 0 ? null : tens * 10 + ones;
}

/**
 * Full-width to half-width (NFKC), no spaces or separators people put in by hand, one spelling for
 * dashes and "#", and 第一网格 written as 第1网格 — so two spellings of one place compare equal.
 */
export function normalizeAddress(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\u3000,，、;；:：。.·()（）[\]【】"“”'‘’]+/g, '')
    .replace(/[‐‑‒–—―−～~－]/g, '-')
    .replace(/＃|號/g, (c) => (c === '號' ? '号' : '#'))
    .replace(/第([零〇一二两三四五六七八九十]{1,3})(网格|小区|区|组|期)/g, (m, n: string, what: string) => {
      const v = chineseNumber(n);
      return v === null ? m : `第${v}${what}`;
    });
}

/** What the end of an address says about the house: building number, unit and room. */
export interface HouseParts {
  /** The building's number as written ("12", "A3"): matched to a building's name or address. */
  building: string | null;
  unit: number | null;
  room: string | null;
  /** Where in the text the building part starts (-1: no building named). */
  at: number;
}

const buildingMark = '(?:号楼|号院|栋楼|栋|幢|座|#楼|#|号(?=\\d+(?:单元|-)))';

/**
 * The building, unit and room at the end of a normalised address: "12号楼3单元1502室", "12#3-1502",
 * "12栋3单元1502", "12-3-1502", "3号院". The building's number is the last one before its mark.
 */
export function houseParts(text: string): HouseParts {
  const dashed = /(?:^|[^\d-])(\d{1,4})-(\d{1,2})-(\d{1,5})(?:室|号|户)?$/.exec(text);
  if (dashed) {
    const at = dashed.index + dashed[0].indexOf(dashed[1]);
    return { building: dashed[1], unit: Number(dashed[2]), room: dashed[3], at };
  }
  const re = new RegExp(
    `([A-Za-z]?\\d{1,4}[A-Za-z]?)${buildingMark}(?:(\\d{1,2})(?:单元|-))?(?:(\\d{1,2})(?:层|楼))?(?:(\\d{1,5}[A-Za-z]?)(?:室|号|户)?)?`,
    'g',
  );
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m;
  if (last)
    return {
      building: last[1].toUpperCase(),
      unit: last[2] ? Number(last[2]) : null,
      room: last[4] ?? null,
      at: last.index,
    };
  const unitRoom = /(\d{1,2})单元(\d{1,5})(?:室|号|户)?$/.exec(text);
  if (unitRoom) return { building: null, unit: Number(unitRoom[1]), room: unitRoom[2], at: -1 };
  return { building: null, unit: null, room: null, at: -1 };
}

/** A building's own number from its name or address ("12号楼", "12#", "12栋", "3号院", "A3座"), or null. */
export function buildingNumber(name: string): string | null {
  const m = /([A-Za-z]?\d{1,4}[A-Za-z]?)(?:号楼|号院|栋楼|栋|幢|座|#楼|#|号)$/.exec(normalizeAddress(name));
  return m ? m[1].toUpperCase() : null;
}

/**
 * The names a unit may be written by: its name and short name, without the office suffix
 * ("吉劳庆社区居民委员会" → "吉劳庆社区"), and the core of three characters or more ("吉劳庆").
 */
export function namesOf(name: string, shortName?: string | null): string[] {
  const out = new Set<string>();
  for (const raw of [name, shortName]) {
    if (!raw) continue;
    const n = normalizeAddress(raw);
    if (n.length >= 2) out.add(n);
    const office = n.replace(/(居民委员会|村民委员会|居委会|村委会|办事处)$/, '');
    if (office.length >= 2) out.add(office);
    // A bare core ("吉劳庆") only when long enough not to be a common word ("民族" in 民族街).
    const core = office.replace(/(社区|嘎查|村|街道|苏木|镇|乡|旗|县|区)$/, '');
    if (core.length >= 3) out.add(core);
  }
  return [...out];
}

/** The longest of `names` that `text` contains: its length and where it ends (0, -1 when none). */
export function longestIn(text: string, names: string[]): { len: number; end: number } {
  let best = { len: 0, end: -1 };
  for (const n of names) {
    const i = text.indexOf(n);
    if (i >= 0 && n.length > best.len) best = { len: n.length, end: i + n.length };
  }
  return best;
}

/**
 * Whether the text names an administrative unit of its own (a city, district, street, community
 * or village: "呼和浩特市新城区…"), so that an import limited to one community must not take it as
 * an address in that community. "1区" and "某小区" are parts of a compound, not units.
 */
export function namesAdminUnit(text: string): boolean {
  return /[\u4e00-\u9fa5](?:市|盟|旗|县|区|街道|镇|乡|苏木|社区|嘎查|村)/.test(text.replaceAll('小区', ''));
}
