import { expect } from 'vitest';
import type { TestApp } from './app.js';

/** One step of a work order's loop through HTTP (`POST …/events`); the test fails unless it applies. */
export async function applyStep(t: TestApp, headers: Record<string, string>, id: string, payload: object) {
  const res = await t.app.inject({ method: 'POST', url: `/api/work-orders/${id}/events`, headers, payload });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
