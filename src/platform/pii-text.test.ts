import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPiiInText } from './pii-text.js';

describe('masking ID numbers and phones in free text', () => {
  it.each([
    // The finding itself.
    [
      '我的手机13634125903，身份证150602200808100018，请尽快处理',
      '我的手机136****5903，身份证150602********0018，请尽快处理',
    ],
    // Mobiles in many spellings.
    ['电话 136 3412 5903 找王师傅', '电话 136****5903 找王师傅'],
    ['电话 136-3412-5903。', '电话 136****5903。'],
    ['电话136－3412－5903', '电话136****5903'],
    ['手机：１３６３４１２５９０３', '手机：136****5903'],
    ['手机：１３６ ３４１２ ５９０３', '手机：136****5903'],
    ['call +86 136 3412 5903 now', 'call +86 136****5903 now'],
    ['联系+8613634125903', '联系+86 136****5903'],
    ['联系（+86）13634125903', '联系+86 136****5903'],
    ['联系 0086 13634125903', '联系 +86 136****5903'],
    ['联系 8613634125903', '联系 +86 136****5903'],
    ['＋８６ １３６３４１２５９０３', '+86 136****5903'],
    ['13634125903', '136****5903'],
    ['前13634125903后19912345678', '前136****5903后199****5678'],
    // ID numbers: 18 digits, X check digit in either case and width, 15 digits, with spaces and dashes.
    ['身份证号11010519491231002X。', '身份证号110105********002X。'],
    ['身份证号11010519491231002x', '身份证号110105********002X'],
    ['身份证号11010519491231002Ｘ', '身份证号110105********002X'],
    ['证件 150602 20080810 0018 已核对', '证件 150602********0018 已核对'],
    ['证件 150602-2008-0810-0018', '证件 150602********0018'],
    ['证件１５０６０２２００８０８１０００１８', '证件150602********0018'],
    ['老证件150602800810001', '老证件150602*****0001'],
    // Landlines: 3- and 4-digit area codes, brackets, no separator, +86 without the 0, extensions.
    ['座机0477-8512345', '座机0477-****45'],
    ['座机 0477 8512 3456', '座机 0477-****56'],
    ['打(0471)6123456问', '打0471-****56问'],
    ['打（0471）6123456问', '打0471-****56问'],
    ['北京010-62345678', '北京010-****78'],
    ['04778512345', '0477-****45'],
    ['+86 471 6123456', '+86 471****56'],
    ['0471-6123456-8001转', '0471-****56-8001转'],
    // A local number without area code only after a word saying it is a phone.
    ['电话：8512345', '电话：****45'],
    ['tel 85123456', 'tel ****56'],
  ])('%s', (text, masked) => {
    expect(maskPiiInText(text)).toBe(masked);
  });

  it.each([
    'GD202611220001',
    '工单GD202611220001已办结',
    '12345热线工单BT2026112200013634125903',
    '2026-11-22 08:30 上报',
    '2026年11月22日',
    '20261122',
    '金额 13800000000.50 元',
    '共计15000000000元',
    '预算 ¥13634125903',
    '增长 13634125903%',
    '1,380,000,000',
    '3号楼2单元301室',
    '3-2-301',
    '拨打12345或110',
    '面积 120 平方米，8512345 这个数不是电话',
    '统一社会信用代码91150602MA0N12345X',
    '坐标 109.781327, 39.608266',
    '',
    '没有数字的文字',
  ])('leaves %s alone', (text) => {
    expect(maskPiiInText(text)).toBe(text);
  });

  it('leaves no mobile or ID number readable, and masking twice changes nothing more', () => {
    const mobileArb = fc
      .tuple(fc.constantFrom(...'3456789'), fc.stringMatching(/^\d{9}$/))
      .map(([b, rest]) => `1${b}${rest}`);
    const sep = fc.constantFrom('', ' ', '-', '－', '　');
    const spelled = fc.tuple(mobileArb, sep, fc.boolean()).map(([m, s, wide]) => {
      const t = `${m.slice(0, 3)}${s}${m.slice(3, 7)}${s}${m.slice(7)}`;
      return wide ? t.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))) : t;
    });
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), spelled, fc.string({ maxLength: 12 }), (a, phone, b) => {
        const pre = a.replace(/[\d０-９A-Za-zＡ-Ｚａ-ｚ.．¥￥$+＋]/g, '');
        const post = b.replace(/[\d０-９A-Za-zＡ-Ｚａ-ｚ.．元万亿%‰]/g, '');
        const out = maskPiiInText(`${pre}${phone}${post}`);
        const digits = phone.replace(/[^\d０-９]/g, '');
        expect(out).not.toContain(digits);
        expect(out).toContain('****');
        expect(maskPiiInText(out)).toBe(out);
      }),
    );
  });
});
