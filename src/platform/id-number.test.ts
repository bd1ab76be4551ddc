import { describe, expect, it } from 'vitest';
import { idNumberCheckChar, parseIdNumber } from './id-number.js';

describe('GB 11643 ID numbers', () => {
  it('reads area, birth date and gender from a valid number', () => {
    // The standard's own example: 11010519491231002X is a woman born 1949-12-31.
    expect(parseIdNumber('11010519491231002x')).toEqual({
      areaCode: '110105',
      birthDate: '1949-12-31',
      gender: 'female',
    });
    const body = '15060219800101001';
    expect(parseIdNumber(body + idNumberCheckChar(body))).toMatchObject({ gender: 'male' });
  });

  it('says in Chinese what is wrong', () => {
    expect(parseIdNumber('110105194912310021')).toEqual({ problem: '身份证号校验位不正确，请核对' });
    expect(parseIdNumber('12345')).toHaveProperty('problem');
    const feb30 = '15060219800230001';
    expect(parseIdNumber(feb30 + idNumberCheckChar(feb30))).toEqual({ problem: '身份证号中的出生日期无效' });
    const future = '15060220990101001';
    expect(parseIdNumber(future + idNumberCheckChar(future))).toEqual({
      problem: '身份证号中的出生日期晚于今天',
    });
  });
});
