import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { wrapText } from './layout.js';

/** A column of a table: its header, its share of the text width (default equal) and alignment. */
export interface PdfColumn {
  header: string;
  width?: number;
  align?: 'left' | 'right';
}

export type PdfBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; columns: PdfColumn[]; rows: string[][] };

/** One printable A4 document: a title, blocks in order, and a footer line on every page. */
export interface PdfDocumentSpec {
  title: string;
  /** A line under the title (the issuing organisation, the period). */
  subtitle?: string;
  blocks: PdfBlock[];
  /** The date printed in every footer, as the caller wants it shown (e.g. 2026-12-07). */
  date: string;
  /** Text at the left of every footer (e.g. the issuing organisation). */
  footer?: string;
  /** Document properties (PDF metadata). */
  author?: string;
}

const A4: [number, number] = [595.28, 841.89];
const margin = { top: 56, bottom: 64, side: 56 };
const size = { title: 18, subtitle: 11, heading: 13, body: 11, table: 10, footer: 9 };
const lineGap = 1.45;
const cellPad = 4;

const require = createRequire(import.meta.url);
let fontBytes: Promise<Buffer> | undefined;
/** Noto Sans SC, read once per process; each document embeds only the glyphs it uses. */
function loadFont(): Promise<Buffer> {
  fontBytes ??= readFile(
    require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  );
  return fontBytes;
}

class Writer {
  page!: PDFPage;
  y = 0;
  readonly pages: PDFPage[] = [];
  readonly width = A4[0] - 2 * margin.side;

  constructor(
    readonly doc: PDFDocument,
    readonly font: PDFFont,
  ) {
    this.newPage();
  }

  newPage() {
    this.page = this.doc.addPage(A4);
    this.pages.push(this.page);
    this.y = A4[1] - margin.top;
  }

  /** Starts a new page unless `height` still fits above the footer. */
  ensure(height: number) {
    if (this.y - height < margin.bottom) this.newPage();
  }

  measure(fontSize: number) {
    return (text: string) => this.font.widthOfTextAtSize(text, fontSize);
  }

  text(text: string, x: number, fontSize: number) {
    this.page.drawText(text, {
      x,
      y: this.y - fontSize,
      size: fontSize,
      font: this.font,
      color: rgb(0, 0, 0),
    });
  }

  lines(text: string, fontSize: number, opts: { centre?: boolean } = {}) {
    const step = fontSize * lineGap;
    for (const line of wrapText(text, this.width, this.measure(fontSize))) {
      this.ensure(step);
      const x = opts.centre
        ? margin.side + (this.width - this.font.widthOfTextAtSize(line, fontSize)) / 2
        : margin.side;
      this.text(line, x, fontSize);
      this.y -= step;
    }
  }

  table(columns: PdfColumn[], rows: string[][]) {
    const total = columns.reduce((s, c) => s + (c.width ?? 1), 0);
    const widths = columns.map((c) => ((c.width ?? 1) / total) * this.width);
    const step = size.table * lineGap;
    const layoutRow = (cells: string[]) =>
      cells.map((cell, i) => wrapText(cell ?? '', widths[i] - 2 * cellPad, this.measure(size.table)));
    const heightOf = (cells: string[][]) => Math.max(1, ...cells.map((c) => c.length)) * step + 2 * cellPad;
    const header = layoutRow(columns.map((c) => c.header));
    const drawRow = (cells: string[][], shaded: boolean) => {
      const height = heightOf(cells);
      const top = this.y;
      if (shaded)
        this.page.drawRectangle({
          x: margin.side,
          y: top - height,
          width: this.width,
          height,
          color: rgb(0.92, 0.92, 0.92),
        });
      let x = margin.side;
      cells.forEach((lines, i) => {
        lines.forEach((line, n) => {
          const w = this.font.widthOfTextAtSize(line, size.table);
          const cx = columns[i].align === 'right' ? x + widths[i] - cellPad - w : x + cellPad;
          this.page.drawText(line, {
            x: cx,
            y: top - cellPad - (n + 1) * step + (step - size.table) / 2 + 2,
            size: size.table,
            font: this.font,
          });
        });
        this.page.drawRectangle({
          x,
          y: top - height,
          width: widths[i],
          height,
          borderColor: rgb(0.4, 0.4, 0.4),
          borderWidth: 0.5,
        });
        x += widths[i];
      });
      this.y -= height;
    };
    this.ensure(heightOf(header) + (rows[0] ? heightOf(layoutRow(rows[0])) : 0));
    drawRow(header, true);
    for (const row of rows) {
      const cells = layoutRow(row);
      if (this.y - heightOf(cells) < margin.bottom) {
        this.newPage();
        drawRow(header, true); // the header row repeats on every page the table runs onto
      }
      drawRow(cells, false);
    }
    this.y -= step / 2;
  }

  footers(spec: PdfDocumentSpec) {
    const count = this.pages.length;
    this.pages.forEach((page, i) => {
      const y = margin.bottom / 2;
      const right = `第 ${i + 1} 页 / 共 ${count} 页    ${spec.date}`;
      const w = this.font.widthOfTextAtSize(right, size.footer);
      page.drawText(right, { x: A4[0] - margin.side - w, y, size: size.footer, font: this.font });
      if (spec.footer) page.drawText(spec.footer, { x: margin.side, y, size: size.footer, font: this.font });
    });
  }
}

/** Renders an A4 PDF with the Chinese font embedded as a subset. */
export async function renderPdf(spec: PdfDocumentSpec): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await loadFont(), { subset: true });
  doc.setTitle(spec.title);
  if (spec.author) doc.setAuthor(spec.author);
  doc.setCreator('基层治理一网通');
  const w = new Writer(doc, font);
  w.lines(spec.title, size.title, { centre: true });
  if (spec.subtitle) w.lines(spec.subtitle, size.subtitle, { centre: true });
  w.y -= size.body;
  for (const block of spec.blocks) {
    if (block.kind === 'heading') {
      w.ensure(size.heading * lineGap * 2);
      w.y -= size.heading * 0.5;
      w.lines(block.text, size.heading);
    } else if (block.kind === 'paragraph') {
      w.lines(block.text, size.body);
      w.y -= size.body * 0.5;
    } else w.table(block.columns, block.rows);
  }
  w.footers(spec);
  return doc.save();
}
