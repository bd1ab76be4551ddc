import { createRequire } from 'node:module';

/**
 * ExcelJS 4.4 decodes each chunk of an xlsx part on its own (`TextDecoder.decode(chunk)` without
 * `stream: true`), so a Chinese character split across two chunks becomes two U+FFFD: in a
 * 100,000-row workbook about one row in 5,000 came out as 「户��」. This replaces its SAX helper
 * with one that keeps a streaming decoder per part. It must run before ExcelJS is first loaded
 * (xlsx.ts imports it first); modules that captured the old helper keep it.
 */
const require = createRequire(import.meta.url);
const { SaxesParser } = require('saxes') as typeof import('saxes');
const path = require.resolve('exceljs/lib/utils/parse-sax.js');

async function* parseSax(iterable: AsyncIterable<Buffer | string> & { pipe?: unknown }) {
  const parser = new SaxesParser();
  const decoder = new TextDecoder('utf-8');
  let error: Error | undefined;
  parser.on('error', (err) => {
    error = err;
  });
  let events: { eventType: string; value: unknown }[] = [];
  parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }));
  parser.on('text', (value) => events.push({ eventType: 'text', value }));
  parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }));
  for await (const chunk of iterable) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (error) throw error;
    yield events;
    events = [];
  }
  const rest = decoder.decode();
  if (rest) {
    parser.write(rest);
    if (error) throw error;
    yield events;
  }
}

require(path);
require.cache[path]!.exports = parseSax;
