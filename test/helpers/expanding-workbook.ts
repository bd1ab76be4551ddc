import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * An xlsx that is small on disk and expands to about `expandedBytes` of worksheet XML: one row
 * (numbered 2) again and again, as in the workbook that took the server down. Its zip directory
 * is honest (real sizes and CRC); the sheet's deflate stream is one compressed block of rows
 * repeated, so making it costs a CRC over the expanded size, not a compression of it.
 */
export function expandingWorkbook(headers: string[], row: string[], expandedBytes: number): Buffer {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const col = (i: number) => String.fromCharCode(65 + i);
  const cells = (r: number, values: string[]) =>
    values.map((v, i) => `<c r="${col(i)}${r}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`).join('');
  const prefix = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      `<row r="1">${cells(1, headers)}</row>`,
  );
  const block = Buffer.from(`<row r="2">${cells(2, row)}</row>`.repeat(1000));
  const suffix = Buffer.from('</sheetData></worksheet>');
  const repeats = Math.ceil(expandedBytes / block.length);

  // Each piece compressed on its own and ended by a full flush (not final): they concatenate.
  const flush = { finishFlush: constants.Z_FULL_FLUSH, level: 9 };
  const blockDeflated = deflateRawSync(block, flush);
  let crc = crc32(prefix);
  for (let i = 0; i < repeats; i++) crc = crc32(block, crc);
  crc = crc32(suffix, crc);
  const sheet = {
    name: 'xl/worksheets/sheet1.xml',
    crc,
    size: prefix.length + repeats * block.length + suffix.length,
    data: Buffer.concat([
      deflateRawSync(prefix, flush),
      ...Array.from({ length: repeats }, () => blockDeflated),
      deflateRawSync(suffix),
    ]),
  };
  const small = (name: string, xml: string) => {
    const raw = Buffer.from(xml);
    return { name, crc: crc32(raw), size: raw.length, data: deflateRawSync(raw) };
  };
  const main = 'http://schemas.openxmlformats.org';
  return zip([
    small(
      '[Content_Types].xml',
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${main}/package/2006/content-types">` +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
        '</Types>',
    ),
    small(
      '_rels/.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${main}/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${main}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
        '</Relationships>',
    ),
    small(
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${main}/spreadsheetml/2006/main" xmlns:r="${main}/officeDocument/2006/relationships">` +
        '<sheets><sheet name="12345" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    small(
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${main}/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${main}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
        '</Relationships>',
    ),
    sheet,
  ]);
}

/** A zip of deflated entries (sizes below 4 GiB). */
function zip(entries: { name: string; crc: number; size: number; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, e.data);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(e.crc, 16);
    cd.writeUInt32LE(e.data.length, 20);
    cd.writeUInt32LE(e.size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    offset += 30 + name.length + e.data.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBytes, end]);
}
