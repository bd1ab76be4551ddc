import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * What a workbook may hold before anything reads it: a 7 MB xlsx can expand to gigabytes of XML
 * (a "zip bomb"), so the sizes its zip directory declares are checked first, and rows, columns and
 * cells while it streams. Rows and cell length are Excel's own limits: no workbook Excel can save
 * exceeds them.
 */
export const workbookLimits = {
  /** All parts of the workbook, uncompressed. */
  uncompressedBytes: 1024 * 1024 * 1024,
  /** The shared strings part, which the reader keeps in memory. */
  sharedStringsBytes: 256 * 1024 * 1024,
  /** Parts in the zip. */
  entries: 10_000,
  rows: 1_048_576,
  columns: 1000,
  cellChars: 32_767,
} as const;

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** The message a user sees for each limit (Chinese first, as every import error). */
export const limitMessages = {
  uncompressedBytes: (found: number) =>
    `工作簿解压后约 ${mib(found)}，超过 ${mib(workbookLimits.uncompressedBytes)} 的上限（解压后大小）；请拆分为多个文件导入`,
  sharedStringsBytes: (found: number) =>
    `工作簿的共享字符串部分解压后约 ${mib(found)}，超过 ${mib(workbookLimits.sharedStringsBytes)} 的上限；请拆分为多个文件导入`,
  entries: (found: number) => `工作簿包含 ${found} 个部件，超过 ${workbookLimits.entries} 个的上限`,
  rows: (limit: number = workbookLimits.rows) => `工作表超过 ${limit} 行的上限；请拆分为多个文件导入`,
  columns: (found: number) => `该行有 ${found} 列，超过 ${workbookLimits.columns} 列的上限`,
  cellChars: (found: number) => `单元格内容 ${found} 个字符，超过 ${workbookLimits.cellChars} 个字符的上限`,
  unreadable: () => '无法读取该 Excel 文件（不是有效的 .xlsx 工作簿）',
} as const;

export type WorkbookLimit = keyof typeof limitMessages;

/** A workbook over one of the limits; `limit` names which. */
export class WorkbookLimitError extends Error {
  constructor(
    readonly limit: WorkbookLimit,
    message: string,
  ) {
    super(message);
  }
}

type ReadAt = (position: number, length: number) => Buffer;

/** The zip's entries as its central directory declares them (zip64 included). */
function centralDirectory(size: number, readAt: ReadAt): { name: string; uncompressed: number }[] {
  const unreadable = () => new WorkbookLimitError('unreadable', limitMessages.unreadable());
  if (size < 22) throw unreadable();
  const tailLength = Math.min(size, 22 + 65_535);
  const tail = readAt(size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--)
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw unreadable();
  let entries = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) throw unreadable();
    const z64 = readAt(Number(tail.readBigUInt64LE(locator + 8)), 56);
    if (z64.readUInt32LE(0) !== 0x06064b50) throw unreadable();
    entries = Number(z64.readBigUInt64LE(32));
    cdSize = Number(z64.readBigUInt64LE(40));
    cdOffset = Number(z64.readBigUInt64LE(48));
  }
  if (entries > workbookLimits.entries)
    throw new WorkbookLimitError('entries', limitMessages.entries(entries));
  if (cdOffset + cdSize > size) throw unreadable();
  const cd = readAt(cdOffset, cdSize);
  const out: { name: string; uncompressed: number }[] = [];
  for (let p = 0; p < cd.length && out.length < entries; ) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw unreadable();
    let uncompressed = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
    if (uncompressed === 0xffffffff) {
      // Zip64: the real size is the first field of the 0x0001 extra block.
      const extra = cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
      let found = false;
      for (let q = 0; q + 4 <= extra.length; ) {
        const id = extra.readUInt16LE(q);
        const len = extra.readUInt16LE(q + 2);
        if (id === 0x0001 && len >= 8) {
          uncompressed = Number(extra.readBigUInt64LE(q + 4));
          found = true;
          break;
        }
        q += 4 + len;
      }
      if (!found) throw unreadable();
    }
    out.push({ name, uncompressed });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

function checkEntries(entries: { name: string; uncompressed: number }[]) {
  let total = 0;
  for (const e of entries) {
    total += e.uncompressed;
    if (e.name === 'xl/sharedStrings.xml' && e.uncompressed > workbookLimits.sharedStringsBytes)
      throw new WorkbookLimitError('sharedStringsBytes', limitMessages.sharedStringsBytes(e.uncompressed));
  }
  if (total > workbookLimits.uncompressedBytes)
    throw new WorkbookLimitError('uncompressedBytes', limitMessages.uncompressedBytes(total));
}

/** Checks an uploaded workbook's declared sizes; throws WorkbookLimitError. */
export function checkWorkbookBytes(bytes: Buffer): void {
  checkEntries(centralDirectory(bytes.length, (pos, len) => bytes.subarray(pos, pos + len)));
}

/** Checks a workbook file's declared sizes, reading only its zip directory; throws WorkbookLimitError. */
export function checkWorkbookFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    const readAt: ReadAt = (position, length) => {
      const buf = Buffer.alloc(length);
      const n = readSync(fd, buf, 0, length, position);
      return buf.subarray(0, n);
    };
    checkEntries(centralDirectory(fstatSync(fd).size, readAt));
  } finally {
    closeSync(fd);
  }
}
