import { describe, expect, it } from 'vitest';
import {
  buildingNumber,
  chineseNumber,
  houseParts,
  namesAdminUnit,
  namesOf,
  normalizeAddress,
} from './address-text.js';

describe('address text', () => {
  it('normalises full-width digits, spaces, dashes, # and Chinese grid numbers', () => {
    expect(normalizeAddress('东胜区 交通街道　吉劳庆社区１２＃３－１５０２')).toBe(
      '东胜区交通街道吉劳庆社区12#3-1502',
    );
    expect(normalizeAddress('民族社区第十二网格')).toBe('民族社区第12网格');
    expect(normalizeAddress('（吉劳庆）社区，12号楼')).toBe('吉劳庆社区12号楼');
  });

  it.each([
    ['一', 1],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['九十九', 99],
    ['十十', null],
    ['', null],
  ])('reads the Chinese number %s', (s, n) => expect(chineseNumber(s)).toBe(n));

  it.each([
    ['12号楼3单元1502室', { building: '12', unit: 3, room: '1502' }],
    ['12#3-1502', { building: '12', unit: 3, room: '1502' }],
    ['12栋3单元1502', { building: '12', unit: 3, room: '1502' }],
    ['12-3-1502', { building: '12', unit: 3, room: '1502' }],
    ['某小区12号楼', { building: '12', unit: null, room: null }],
    ['3号院', { building: '3', unit: null, room: null }],
    ['12号3单元502', { building: '12', unit: 3, room: '502' }],
    ['A3座2单元101室', { building: 'A3', unit: 2, room: '101' }],
    ['3单元1502室', { building: null, unit: 3, room: '1502' }],
    ['鄂尔多斯大街88号', { building: null, unit: null, room: null }],
  ])('finds the building, unit and room in %s', (text, parts) =>
    expect(houseParts(normalizeAddress(text))).toMatchObject(parts),
  );

  it.each([
    ['12号楼', '12'],
    ['12#', '12'],
    ['１２栋', '12'],
    ['吉劳庆1区12号楼', '12'],
    ['3号院', '3'],
    ['综合楼', null],
  ])('reads the number of the building %s', (name, n) => expect(buildingNumber(name)).toBe(n));

  it('names a unit by its name, without its office suffix, and by a core of three characters', () => {
    expect(namesOf('吉劳庆社区居民委员会')).toEqual(['吉劳庆社区居民委员会', '吉劳庆社区', '吉劳庆']);
    expect(namesOf('民族社区')).toEqual(['民族社区']);
    expect(namesOf('交通街道', '交通')).toEqual(['交通街道', '交通']);
  });

  it.each([
    ['呼和浩特市新城区某路1号', true],
    ['交通街道12号楼', true],
    ['12号楼3单元1502室', false],
    ['某小区1区12号楼', false],
  ])('tells whether %s names a unit of its own', (text, named) => expect(namesAdminUnit(text)).toBe(named));
});
