import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type * as ExcelJSModule from 'exceljs';
import { limitMessages, WorkbookLimitError, workbookLimits } from './limits.js';

/**
 * ExcelJS, loaded only here, after two fixes to its streaming reader. Each fix replaces one of its
 * helper modules, which works only before ExcelJS is first loaded (its modules keep the helper they
 * captured), so every module imports ExcelJS from here (lint forbids importing 'exceljs' elsewhere).
 */
const require = createRequire(import.meta.url);
const { SaxesParser } = require('saxes') as typeof import('saxes');

if (require.cache[require.resolve('exceljs/lib/stream/xlsx/workbook-reader.js')])
  throw new Error('ExcelJS was loaded before src/platform/tabular/exceljs.ts could fix it');

function replaceModule(name: string, exports: unknown) {
  const path = require.resolve(`exceljs/lib/utils/${name}`);
  require(path);
  require.cache[path]!.exports = exports;
}

/** The longest stretch of XML without a tag: a cell at Excel's limit, every character escaped. */
const maxTextRun = workbookLimits.cellChars * 6 + 1024;

/**
 * ExcelJS decodes each chunk of an xlsx part on its own (`TextDecoder.decode(chunk)` without
 * `stream: true`), so a Chinese character split across two chunks becomes two U+FFFD: in a
 * 100,000-row workbook about one row in 5,000 came out as 「户��」. This SAX helper keeps a
 * streaming decoder per part. It also counts what a part really expands to (its zip directory may
 * lie) and refuses text longer than any cell, which the SAX parser would otherwise hold whole.
 */
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
  let bytes = 0;
  let run = 0;
  for await (const chunk of iterable) {
    bytes += chunk.length;
    if (bytes > workbookLimits.uncompressedBytes)
      throw new WorkbookLimitError('uncompressedBytes', limitMessages.uncompressedBytes(bytes));
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const tag = text.lastIndexOf('<');
    run = tag < 0 ? run + text.length : text.length - tag - 1;
    if (run > maxTextRun) throw new WorkbookLimitError('cellChars', limitMessages.cellChars(run));
    parser.write(text);
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

/**
 * unzipper's Parse emits 'end' by hand as soon as its input is written ('finish'), before it has
 * pushed the entries still in its buffer (ZJONSSON/node-unzipper PR #346). ExcelJS stops reading
 * the zip at that 'end', so when it was slow with a worksheet (a loaded machine) the entries
 * after it, workbook.xml included, were lost: "Cannot read properties of undefined (reading
 * 'sheets')", about one read in 1,000 with the CPU busy. This helper only believes an 'end' the
 * stream itself emitted (`readableEnded`), which comes after the last entry.
 */
async function* iterateStream<T>(stream: Readable): AsyncGenerator<T> {
  const contents: T[] = [];
  let ended = false;
  let error: Error | undefined;
  let wake: () => void = () => {};
  const woken = () => new Promise<void>((resolve) => (wake = resolve));
  stream.on('data', (data: T) => {
    contents.push(data);
    wake();
  });
  stream.on('end', () => {
    if (stream.readableEnded === false) return; // emitted by hand, not by the stream
    ended = true;
    wake();
  });
  stream.on('error', (err: Error) => {
    error = err;
    wake();
  });
  while (!ended || contents.length > 0) {
    if (error) throw error;
    if (contents.length === 0) {
      const next = woken();
      stream.resume();
      await next;
    } else {
      stream.pause();
      yield contents.shift() as T;
    }
  }
  if (error) throw error;
}

replaceModule('parse-sax.js', parseSax);
replaceModule('iterate-stream.js', iterateStream);

const ExcelJS = require('exceljs') as typeof ExcelJSModule;
export default ExcelJS;
export type { DataValidation, Row } from 'exceljs';
