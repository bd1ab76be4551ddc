import { expect } from 'vitest';
import ExcelJS from '../../src/platform/tabular/exceljs.js';
import type { TestApp } from './app.js';
import { multipartBody } from './multipart.js';

export type Cells = (string | number | null)[];

/**
 * Uploads a one-sheet workbook (`head` then `rows`) as `headers`' user, starts the import at `url`
 * (`/api/residents/imports`, `/api/houses/imports`) with `opts`, runs the job and returns its result.
 */
export async function importWorkbook(
  t: TestApp,
  headers: Record<string, string>,
  url: string,
  head: string[],
  rows: Cells[],
  opts: Record<string, unknown> = {},
) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('导入');
  ws.addRow(head);
  for (const r of rows) ws.addRow(r);
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  const body = multipartBody({}, [
    { name: '导入.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes },
  ]);
  const up = await t.app.inject({
    method: 'POST',
    url: '/api/files',
    headers: { ...headers, ...body.headers },
    payload: body.payload,
  });
  expect(up.statusCode, up.body).toBe(201);
  const res = await t.app.inject({
    method: 'POST',
    url,
    headers,
    payload: { fileId: up.json().id, ...opts },
  });
  expect(res.statusCode, res.body).toBe(202);
  await t.ctx.jobs.runUntilIdle();
  const job = (await t.app.inject({ url: `/api/jobs/${res.json().jobId}`, headers })).json();
  expect(job.status, JSON.stringify(job)).toBe('succeeded');
  return job.result;
}
