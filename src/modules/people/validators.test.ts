import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../../platform/id-number.js';
import { difficultyTags, ethnicGroups, relations, residentTags } from './codes.js';
import {
  ageOn,
  bornOnOrBefore,
  careFactsOf,
  checkIdentity,
  normalizePhone,
  parseLooseDate,
  shanghaiToday,
} from './validators.js';

const id = (first17: string) => first17 + idNumberCheckChar(first17);
const today = '2026-11-25';

describe('identity documents', () => {
  it('derives birth date and gender from a resident ID card', () => {
    expect(
      checkIdentity({ documentType: 'idCard', idNumber: ` ${id('15060219560304001')} ` }, today),
    ).toEqual({
      documentType: 'idCard',
      idNumber: id('15060219560304001'),
      birthDate: '1956-03-04',
      gender: 'male',
    });
    expect(checkIdentity({ documentType: 'idCard', idNumber: id('15060219900101002') }, today)).toMatchObject(
      {
        gender: 'female',
      },
    );
  });

  it('names the field when the checksum, the birth date or a given fact is wrong', () => {
    const good = id('15060219560304001');
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    expect(checkIdentity({ documentType: 'idCard', idNumber: bad }, today)).toEqual([
      { path: 'idNumber', message: '身份证号校验位不正确，请核对' },
    ]);
    expect(checkIdentity({ documentType: 'idCard', idNumber: id('15060220270101001') }, today)).toEqual([
      { path: 'idNumber', message: '身份证号中的出生日期晚于今天' },
    ]);
    expect(checkIdentity({ documentType: 'idCard', idNumber: good, birthDate: '1956-03-05' }, today)).toEqual(
      [{ path: 'birthDate', message: '出生日期与身份证号不符（身份证号为 1956-03-04）' }],
    );
    expect(checkIdentity({ documentType: 'idCard', idNumber: good, gender: 'female' }, today)).toMatchObject([
      { path: 'gender' },
    ]);
  });

  it('accepts foreigners’ documents with birth date and gender given', () => {
    expect(
      checkIdentity(
        { documentType: 'passport', idNumber: 'e1234567', birthDate: '1980-02-29', gender: 'male' },
        today,
      ),
    ).toMatchObject({ idNumber: 'E1234567', birthDate: '1980-02-29' });
    expect(
      checkIdentity({ documentType: 'foreignPermanentResidentId', idNumber: 'USA150602800101' }, today),
    ).toEqual([
      { path: 'birthDate', message: '非居民身份证须填写出生日期' },
      { path: 'gender', message: '非居民身份证须填写性别' },
    ]);
    expect(
      checkIdentity(
        { documentType: 'passport', idNumber: '护照', birthDate: '2030-01-01', gender: 'male' },
        today,
      ),
    ).toMatchObject([{ path: 'idNumber' }, { path: 'birthDate', message: '出生日期不能晚于今天' }]);
  });

  it('every generated valid ID card round-trips its birth date and gender', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2026-11-24'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        (birth, seq) => {
          const ymd = birth.toISOString().slice(0, 10);
          const number = id(`150602${ymd.replaceAll('-', '')}${String(seq).padStart(3, '0')}`);
          const r = checkIdentity({ documentType: 'idCard', idNumber: number }, today);
          expect(r).toMatchObject({ birthDate: ymd, gender: seq % 2 ? 'male' : 'female' });
        },
      ),
    );
  });
});

describe('phones', () => {
  it('takes mainland mobiles and refuses anything else', () => {
    expect(normalizePhone('138 0000 5678')).toBe('13800005678');
    expect(normalizePhone('+8613800005678')).toBe('13800005678');
    expect(normalizePhone('1380000567')).toEqual({ problem: '手机号应为 11 位数字，以 13–19 开头' });
    expect(normalizePhone('12800005678')).toHaveProperty('problem');
    expect(normalizePhone('0477-8512345')).toHaveProperty('problem');
  });
});

describe('dates as people write them', () => {
  it.each([
    ['1956-03-04', '1956-03-04'],
    ['1956/3/4', '1956-03-04'],
    ['1956.3.4', '1956-03-04'],
    ['1956年3月4日', '1956-03-04'],
    ['19560304', '1956-03-04'],
    [20518, '1956-03-04'],
    [new Date(Date.UTC(1956, 2, 4)), '1956-03-04'],
    ['1956.2.30', null],
    ['三月四日', null],
    [1.5, null],
  ])('%s → %s', (input, expected) => {
    expect(parseLooseDate(input)).toBe(expected);
  });
});

describe('ages and care groups', () => {
  it('counts whole years in local time', () => {
    expect(ageOn('1966-11-25', today)).toBe(60);
    expect(ageOn('1966-11-26', today)).toBe(59);
    expect(bornOnOrBefore(60, today)).toBe('1966-11-25');
    expect(shanghaiToday(new Date('2026-11-24T16:30:00Z'))).toBe('2026-11-25');
  });

  it('derives 一老一小一困 and marks 80+', () => {
    expect(careFactsOf('1940-01-01', [], today)).toEqual({
      careGroups: ['elderly'],
      advancedAge: true,
      age: 86,
    });
    expect(careFactsOf('1960-01-01', ['livesAlone'], today)).toMatchObject({
      careGroups: ['elderly'],
      advancedAge: false,
    });
    expect(careFactsOf('2015-06-01', ['leftBehindChild'], today).careGroups).toEqual(['child']);
    expect(careFactsOf('1990-06-01', ['lowIncome'], today).careGroups).toEqual(['inDifficulty']);
    expect(careFactsOf('2010-06-01', ['disabled'], today).careGroups).toEqual(['child', 'inDifficulty']);
  });
});

describe('code lists', () => {
  it('has the 56 ethnic groups of GB 3304 and the GB/T 4761 head relation', () => {
    expect(Object.keys(ethnicGroups).filter((c) => Number(c) <= 56)).toHaveLength(56);
    expect(ethnicGroups['02']).toBe('蒙古族');
    expect(relations['02']).toBe('户主');
    expect(difficultyTags.every((t) => t in residentTags)).toBe(true);
  });
});
