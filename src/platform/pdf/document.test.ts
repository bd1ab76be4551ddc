import { describe, expect, it } from 'vitest';
import { pdfFontNames, pdfPages } from '../../../test/helpers/pdf-text.js';
import { renderPdf } from './document.js';

const names = ['乌兰图雅', '巴特尔', '张建国', '王秀英', '其其格', '李志磊'];

describe('renderPdf', () => {
  it('writes Chinese title, paragraphs, a table and footers that a reader reads back', async () => {
    const rows = Array.from({ length: 90 }, (_, i) => [
      String(i + 1),
      names[i % names.length] + i,
      String(100 - i),
    ]);
    const bytes = await renderPdf({
      title: '党员积分亮分公示',
      subtitle: '红山街道 第一网格党支部 · 2026年第三季度',
      date: '2026-12-07',
      footer: '第一网格党支部',
      blocks: [
        {
          kind: 'paragraph',
          text: '公示期为五个工作日。对积分有异议的，请在公示期内向支部记分员提出，逾期视为无异议。'.repeat(
            3,
          ),
        },
        { kind: 'heading', text: '积分名单' },
        {
          kind: 'table',
          columns: [
            { header: '名次', width: 1 },
            { header: '姓名', width: 3 },
            { header: '积分', width: 1, align: 'right' },
          ],
          rows,
        },
      ],
    });
    expect(Buffer.from(bytes.slice(0, 5)).toString()).toBe('%PDF-');
    const pages = await pdfPages(bytes);
    expect(pages.length).toBeGreaterThan(1);
    const all = pages.join('\n');
    expect(pages[0]).toContain('党员积分亮分公示');
    expect(pages[0]).toContain('红山街道 第一网格党支部');
    expect(all.replace(/\n/g, '')).toContain('逾期视为无异议');
    for (const [rank, name, total] of rows) {
      expect(all).toContain(name);
      expect(all).toContain(total);
      expect(all).toContain(rank);
    }
    // the header row repeats on each page the table runs onto, and each page has its footer
    pages.forEach((text, i) => {
      expect(text).toContain('姓名');
      expect(text).toContain(`第 ${i + 1} 页 / 共 ${pages.length} 页`);
      expect(text).toContain('2026-12-07');
    });
    // Noto Sans SC is embedded, as a subset: the whole font is 10 MB
    const fonts = await pdfFontNames(bytes);
    expect(fonts.some((f) => f.startsWith('NotoSansSC'))).toBe(true);
    expect(bytes.length).toBeLessThan(300_000);
  });

  it('wraps a long cell inside its column instead of overflowing it', async () => {
    const long = '服务群众：为独居老人代缴水电费、陪同就医、打扫楼道卫生共十二次';
    const bytes = await renderPdf({
      title: '测试',
      date: '2026-12-07',
      blocks: [
        {
          kind: 'table',
          columns: [
            { header: '事项', width: 1 },
            { header: '说明', width: 1 },
          ],
          rows: [['甲', long]],
        },
      ],
    });
    const [page] = await pdfPages(bytes);
    const lines = page.split('\n').filter((l) => l.trim() !== '');
    const parts = lines.filter((l) => long.includes(l.trim()) && l.trim().length > 1);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((l) => l.trim()).join('')).toBe(long);
  });
});
