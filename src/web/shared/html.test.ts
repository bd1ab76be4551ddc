import { describe, expect, it } from 'vitest';
import { escapeHtml } from './html.js';

describe('escapeHtml', () => {
  it.each([
    ['<img src=x onerror=alert(31)>', '&lt;img src=x onerror=alert(31)&gt;'],
    ['第1网格（150602001001-01）', '第1网格（150602001001-01）'],
    [`"双引号" & '单引号'`, '&quot;双引号&quot; &amp; &#39;单引号&#39;'],
    ['&lt;already&gt;', '&amp;lt;already&amp;gt;'],
    ['', ''],
  ])('%s', (text, html) => {
    expect(escapeHtml(text)).toBe(html);
  });
});
