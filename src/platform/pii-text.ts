/**
 * Masks ID numbers and phone numbers written into free text (descriptions, replies, notes, log
 * lines) before the text is shown to someone who may not see them: `150602********0018`,
 * `136****5903`, `0477-****45`. Pure; the one function for every place that publishes free text.
 *
 * The text is cut into digit groups (ASCII or full-width digits; an ID's final X belongs to its
 * group). Neighbouring groups apart by at most three spaces, dashes or brackets may form one
 * number (`136 3412 5903`, `(0471)6123456`), and a leading `+` marks a country code. A group glued
 * to a Latin letter is part of a code (`GD202611220001`) and a number followed by a decimal part
 * or a unit of money is an amount: neither is touched.
 */

const fullWidthZero = 0xff10;
const isDigit = (c: string) => (c >= '0' && c <= '9') || (c >= '０' && c <= '９');
const ascii = (c: string) =>
  c >= '０' && c <= '９' ? String.fromCharCode(c.charCodeAt(0) - fullWidthZero + 48) : c;
const isX = (c: string | undefined) => c === 'X' || c === 'x' || c === 'Ｘ' || c === 'ｘ';
const isLetter = (c: string | undefined) => !!c && /[A-Za-zＡ-Ｚａ-ｚ]/.test(c);
/** What may stand between the groups of one number: spaces, dashes, brackets. */
const joiner = /^[\s\u3000\-－‐‑–—()（）]{1,3}$/;
/** A country code's plus sign right before a number, maybe in brackets: `+86`, `(+86)`. */
const plus = /[(（]?[+＋][(（]?$/;
/** After a number, these make it an amount: `13800000000.50`, `15000000000 元`. */
const amountAfter = /^\s?(?:[.．][0-9０-９]|[元万亿%‰])/;
const amountBefore = /[¥￥$]\s?$|\d[.．]$/;
/** A short local number counts only right after a word that says it is a phone. */
const phoneWord = /(?:电话|座机|固话|手机|联系方式|致电|拨打|tel|phone)[:：\s是为]{0,3}$/i;

const mobile = /^1[3-9]\d{9}$/;
const id18 = /^[1-8]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]$/;
const id15 = /^[1-8]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}$/;
/** Area code (010, 02x, or four digits from 03xx) and a 7- or 8-digit local number. */
const landline = /^0(?:10|2\d)\d{8}$|^0[3-9]\d{2}\d{7,8}$/;

interface Group {
  start: number;
  end: number;
  digits: string;
}

function groupsOf(text: string): Group[] {
  const groups: Group[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isDigit(text[i])) {
      i++;
      continue;
    }
    const start = i;
    let digits = '';
    while (i < text.length && isDigit(text[i])) digits += ascii(text[i++]);
    if (isX(text[i]) && !isLetter(text[i + 1])) {
      digits += 'X';
      i++;
    }
    groups.push({ start, end: i, digits });
  }
  return groups;
}

const areaLength = (d: string) => (/^0(?:10|2\d)/.test(d) ? 3 : 4);
const stars = (d: string, keep: number) => `${d.slice(0, keep)}****${d.slice(-2)}`;

/** The masked form of one number, or null when the digits are not an ID number or phone. */
function maskNumber(d: string, international: boolean, afterPhoneWord: boolean): string | null {
  if (international || d.startsWith('0086')) {
    const rest = d.startsWith('0086') ? d.slice(4) : d.startsWith('86') ? d.slice(2) : '';
    if (mobile.test(rest)) return `+86 ${rest.slice(0, 3)}****${rest.slice(-4)}`;
    if (landline.test(`0${rest}`)) return `+86 ${stars(rest, areaLength(`0${rest}`) - 1)}`;
    return null;
  }
  if (d.includes('X')) return id18.test(d) ? `${d.slice(0, 6)}********${d.slice(-4)}` : null;
  if (mobile.test(d)) return `${d.slice(0, 3)}****${d.slice(-4)}`;
  if (d.length === 13 && d.startsWith('86') && mobile.test(d.slice(2)))
    return `+86 ${d.slice(2, 5)}****${d.slice(-4)}`;
  if (id18.test(d)) return `${d.slice(0, 6)}********${d.slice(-4)}`;
  if (id15.test(d)) return `${d.slice(0, 6)}*****${d.slice(-4)}`;
  if (landline.test(d)) return `${d.slice(0, areaLength(d))}-${stars(d.slice(areaLength(d)), 0)}`;
  if (afterPhoneWord && /^\d{7,8}$/.test(d)) return stars(d, 0);
  return null;
}

/** `text` with every ID number and phone number in it masked; everything else unchanged. */
export function maskPiiInText(text: string): string {
  const groups = groupsOf(text);
  if (!groups.length) return text;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < groups.length) {
    // Longest run of joinable groups first, at most five (a phone written 3-4-4 with a +86 is four).
    let last = i;
    while (
      last + 1 < groups.length &&
      last - i < 4 &&
      joiner.test(text.slice(groups[last].end, groups[last + 1].start))
    )
      last++;
    let done = false;
    for (let j = last; j >= i && !done; j--) {
      const first = groups[i];
      const end = groups[j].end;
      const before = text.slice(Math.max(0, first.start - 12), first.start);
      const after = text.slice(end, end + 3);
      if (isLetter(before.at(-1)) || isLetter(text[end])) continue;
      if (amountAfter.test(after) || amountBefore.test(before)) continue;
      const sign = before.match(plus)?.[0] ?? '';
      const digits = groups
        .slice(i, j + 1)
        .map((g) => g.digits)
        .join('');
      const masked = maskNumber(digits, !!sign, phoneWord.test(before));
      if (masked === null) continue;
      const bracket = !sign && /[(（]$/.test(before) && /[)）]/.test(text.slice(first.start, end)) ? 1 : 0;
      out += text.slice(copied, first.start - sign.length - bracket) + masked;
      copied = end;
      i = j + 1;
      done = true;
    }
    if (!done) i++;
  }
  return out + text.slice(copied);
}
