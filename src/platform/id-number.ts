/**
 * GB 11643-1999 citizen ID numbers: 6-digit area, 8-digit birth date, 3-digit sequence (odd for
 * men), and an ISO 7064 MOD 11-2 check character. Shared by registration and the people register.
 */
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChars = '10X98765432';

export interface IdNumberFacts {
  areaCode: string;
  birthDate: string;
  gender: 'male' | 'female';
}

export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i];
  return checkChars[sum % 11];
}

/** The facts an ID number carries, or the Chinese reason it is not a valid one. */
export function parseIdNumber(raw: string, today = new Date()): IdNumberFacts | { problem: string } {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return { problem: '身份证号应为 18 位，最后一位可以是 X' };
  if (idNumberCheckChar(id.slice(0, 17)) !== id[17]) return { problem: '身份证号校验位不正确，请核对' };
  const [y, m, d] = [id.slice(6, 10), id.slice(10, 12), id.slice(12, 14)].map(Number);
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || y < 1890)
    return { problem: '身份证号中的出生日期无效' };
  if (birth.getTime() > today.getTime()) return { problem: '身份证号中的出生日期晚于今天' };
  return {
    areaCode: id.slice(0, 6),
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
  };
}
