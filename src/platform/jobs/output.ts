import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a job writes the file it produces (an export): one file per job under DATA_DIR/exports,
 * downloaded through `GET /api/jobs/:id/download` by the user who started it. A handler returns
 * `{ fileName }` (the name the user sees) in its result.
 */
export function jobOutputPath(dataDir: string, jobId: string): string {
  const dir = join(dataDir, 'exports');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${jobId}.out`);
}

/** `attachment` header with the UTF-8 name (RFC 6266 / 5987) and an ASCII fallback. */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
