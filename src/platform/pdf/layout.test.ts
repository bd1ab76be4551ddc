import { describe, expect, it } from 'vitest';
import { wrapText } from './layout.js';

// every character one unit wide: widths are character counts
const measure = (s: string) => [...s].length;

describe('wrapText', () => {
  it('breaks Chinese text between any two characters', () => {
    expect(wrapText('党员积分制管理办法', 4, measure)).toEqual(['党员积分', '制管理办', '法']);
  });

  it('keeps a Latin word whole and drops the space at the break', () => {
    expect(wrapText('记分 recorder 名单', 9, measure)).toEqual(['记分', 'recorder', '名单']);
  });

  it('does not start a line with closing punctuation', () => {
    expect(wrapText('学习服务，致富', 4, measure)).toEqual(['学习服', '务，致富']);
  });

  it('splits a word longer than the line and honours explicit newlines', () => {
    expect(wrapText('abcdefgh\n党', 3, measure)).toEqual(['abc', 'def', 'gh', '党']);
  });

  it('keeps an empty paragraph as an empty line', () => {
    expect(wrapText('甲\n\n乙', 5, measure)).toEqual(['甲', '', '乙']);
  });
});
