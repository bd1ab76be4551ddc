import type { FormInstance } from 'antd';
import { describe, expect, it } from 'vitest';
import { ApiError, applyFieldErrors, formFieldErrors, queryString } from './api.js';

function fakeForm(fields: string[]) {
  const set: unknown[] = [];
  const form = {
    getFieldsValue: () => Object.fromEntries(fields.map((f) => [f, undefined])),
    setFields: (f: unknown[]) => set.push(...f),
  } as unknown as FormInstance;
  return { form, set };
}

describe('server errors on form fields', () => {
  const err = new ApiError(400, 'VALIDATION', '输入有误', [
    { path: 'body.password', message: '密码至少 10 位' },
    { path: 'orgUnitId', message: '请选择所属组织' },
  ]);

  it('maps field paths (with or without the body. prefix) to form names', () => {
    expect(formFieldErrors(err)).toEqual([
      { name: ['password'], errors: ['密码至少 10 位'] },
      { name: ['orgUnitId'], errors: ['请选择所属组织'] },
    ]);
    expect(formFieldErrors(new Error('x'))).toEqual([]);
  });

  it('puts only the errors of fields the form has under them, and says when none applied', () => {
    const { form, set } = fakeForm(['username', 'password']);
    expect(applyFieldErrors(form, err)).toBe(true);
    expect(set).toEqual([{ name: ['password'], errors: ['密码至少 10 位'] }]);

    const other = fakeForm(['reason']);
    expect(applyFieldErrors(other.form, err)).toBe(false);
    expect(other.set).toEqual([]);
    expect(applyFieldErrors(other.form, new ApiError(423, 'LOCKED', '账号已锁定'))).toBe(false);
  });
});

describe('queryString', () => {
  it('drops empty filters and encodes the rest', () => {
    expect(queryString({ page: 1, q: '东胜 区', status: undefined, role: '', orgUnitId: null })).toBe(
      '?page=1&q=%E4%B8%9C%E8%83%9C+%E5%8C%BA',
    );
    expect(queryString({})).toBe('');
  });
});
