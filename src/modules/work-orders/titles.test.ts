import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { titleFromDescription, titleLength } from './titles.js';

describe('a title cut from the report', () => {
  it('takes a short first sentence whole, marking what was left out', () => {
    expect(titleFromDescription('供暖', '暖气不热。家里有老人。')).toBe('供暖：暖气不热…');
    expect(titleFromDescription('路灯', '路灯不亮')).toBe('路灯：路灯不亮');
    expect(titleFromDescription('路灯', '路灯不亮！')).toBe('路灯：路灯不亮');
  });

  it('cuts a long sentence after a whole clause, never ending in a comma', () => {
    const title = titleFromDescription(
      '供暖',
      '家里暖气摸着只有温的，室温只有十五度左右，家里有老人和小孩，请尽快处理。',
    );
    expect(title).toBe('供暖：家里暖气摸着只有温的，室温只有十五度左右…');
  });

  it('never ends in punctuation and never grows past the limit', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('暖', '气', '不', '热', '，', '。', ' ', '、', '！', 'a') }),
        (s) => {
          const t = titleFromDescription('供暖', `${s}暖气`);
          const body = t.slice('供暖：'.length);
          expect(body).not.toMatch(/[，,、。！!；;：:\s]…?$/);
          expect(body.replace(/…$/, '').length).toBeLessThanOrEqual(titleLength);
        },
      ),
    );
  });
});
