import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import type { Executor } from '../db/index.js';
import { AppError } from '../errors.js';
import { checkWorkbookBytes, WorkbookLimitError } from '../tabular/limits.js';
import { file } from './schema.js';

const xlsxMime = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Types accepted anywhere in the system, as detected from the bytes. */
export const allowedMimes = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'application/pdf',
  xlsxMime,
  'application/geo+json',
]);

/** A workbook whose zip directory declares more than an import may read is refused at upload. */
function checkWorkbook(bytes: Buffer) {
  try {
    checkWorkbookBytes(bytes);
  } catch (err) {
    if (!(err instanceof WorkbookLimitError)) throw err;
    throw new AppError(
      'WORKBOOK_LIMIT',
      400,
      'error.WORKBOOK_LIMIT',
      { reason: err.message, limit: err.limit },
      [{ path: 'file', message: err.message }],
    );
  }
}

/** GeoJSON is text, so it has no magic bytes: it is recognised by parsing it. */
function detectGeoJson(bytes: Buffer): { mime: string } | undefined {
  if (bytes.length > 50 * 1024 * 1024) return undefined;
  try {
    const doc = JSON.parse(bytes.toString('utf8'));
    return ['FeatureCollection', 'Feature'].includes(doc?.type)
      ? { mime: 'application/geo+json' }
      : undefined;
  } catch {
    return undefined;
  }
}

export type FileRow = typeof file.$inferSelect;

/** Largest picture accepted, in pixels: above any phone camera (200 MP), far below what exhausts memory. */
export const maxImagePixels = 200_000_000;

/**
 * A picture is kept only if it decodes whole within the pixel limit: refused here, it can never
 * make a thumbnail or a viewer fail later. Returns its size.
 */
async function checkImage(bytes: Buffer): Promise<{ width: number | null; height: number | null }> {
  const meta = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch(() => null);
  if (!meta?.width || !meta.height) throw new AppError('IMAGE_UNREADABLE', 400);
  if (meta.width * meta.height > maxImagePixels)
    throw new AppError('IMAGE_TOO_LARGE', 400, 'error.IMAGE_TOO_LARGE', {
      width: meta.width,
      height: meta.height,
      limit: maxImagePixels / 1_000_000,
    });
  // Decoding at a small size still reads every byte of the picture (JPEG shrink-on-load included).
  await sharp(bytes, { limitInputPixels: maxImagePixels, failOn: 'truncated' })
    .resize({ width: 64, withoutEnlargement: true })
    .raw()
    .toBuffer()
    .catch(() => {
      throw new AppError('IMAGE_UNREADABLE', 400);
    });
  return { width: meta.width, height: meta.height };
}

export interface SaveOptions {
  name?: string;
  /** The type the client says it sent; if the bytes say otherwise the upload is refused. */
  claimedMime?: string;
  createdBy?: string | null;
  ownerType?: string;
  ownerId?: string;
  orgPath?: string | null;
}

/** Stores uploads by SHA-256 under DATA_DIR/files (one copy per content) and records them in `file`. */
export class FileStore {
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  blobPath(sha: string) {
    return join(this.dir, sha.slice(0, 2), sha);
  }

  async save(ex: Executor, bytes: Buffer, opts: SaveOptions = {}): Promise<FileRow> {
    if (bytes.length === 0)
      throw new AppError('VALIDATION', 400, 'error.FILE_REQUIRED', undefined, [
        { path: 'file', message: '文件为空' },
      ]);
    if (bytes.length > this.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', 413);
    const detected = (await fileTypeFromBuffer(bytes)) ?? detectGeoJson(bytes);
    if (!detected || !allowedMimes.has(detected.mime))
      throw new AppError('UNSUPPORTED_MEDIA', 400, 'error.FILE_TYPE_NOT_ALLOWED');
    if (opts.claimedMime && !sameType(opts.claimedMime, detected.mime)) {
      throw new AppError('FILE_TYPE_MISMATCH', 400, 'error.FILE_TYPE_MISMATCH');
    }
    const size = detected.mime.startsWith('image/') ? await checkImage(bytes) : null;
    if (detected.mime === xlsxMime) checkWorkbook(bytes);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const target = this.blobPath(sha);
    if (!existsSync(target)) {
      await mkdir(join(this.dir, sha.slice(0, 2)), { recursive: true });
      const tmp = `${target}.${process.pid}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, target); // atomic: a crash never leaves a half-written blob under its hash
    }
    const [row] = await ex
      .insert(file)
      .values({
        sha256: sha,
        mime: detected.mime,
        size: bytes.length,
        name: opts.name?.slice(0, 200),
        width: size?.width ?? null,
        height: size?.height ?? null,
        createdBy: opts.createdBy ?? null,
        ownerType: opts.ownerType,
        ownerId: opts.ownerId,
        orgPath: opts.orgPath ?? null,
      })
      .returning();
    return row;
  }

  /**
   * After a transaction that saved these bytes rolled back: removes each one's blob (and its
   * thumbnails) unless a committed row still names it. Run outside that transaction.
   */
  async discardUnreferenced(ex: Executor, contents: Buffer[]): Promise<void> {
    for (const bytes of contents) {
      const sha = createHash('sha256').update(bytes).digest('hex');
      const [kept] = await ex.select({ id: file.id }).from(file).where(eq(file.sha256, sha)).limit(1);
      if (kept) continue;
      const dir = join(this.dir, sha.slice(0, 2));
      const names = await readdir(dir).catch(() => [] as string[]);
      await Promise.all(names.filter((n) => n.startsWith(sha)).map((n) => rm(join(dir, n), { force: true })));
    }
  }

  async find(ex: Executor, id: string): Promise<FileRow | undefined> {
    const [row] = await ex.select().from(file).where(eq(file.id, id));
    return row;
  }

  stream(row: FileRow) {
    return createReadStream(this.blobPath(row.sha256));
  }

  read(row: FileRow) {
    return readFile(this.blobPath(row.sha256));
  }

  /** A JPEG thumbnail no wider than `width`, made once and kept beside the original. */
  async thumbnail(row: FileRow, width = 320): Promise<Buffer> {
    if (!row.mime.startsWith('image/'))
      throw new AppError('UNSUPPORTED_MEDIA', 400, 'error.UNSUPPORTED_MEDIA');
    const target = `${this.blobPath(row.sha256)}.w${width}.jpg`;
    if (existsSync(target)) return readFile(target);
    // Pictures stored before uploads were decoded may still be broken: a 415 for them, never a 500.
    const out = await sharp(await this.read(row), { limitInputPixels: maxImagePixels })
      .rotate()
      .resize({ width, withoutEnlargement: true })
      .jpeg({ quality: 75 })
      .toBuffer()
      .catch(() => {
        throw new AppError('IMAGE_UNREADABLE', 415);
      });
    await writeFile(target, out);
    return out;
  }
}

function sameType(claimed: string, detected: string): boolean {
  const c = claimed.toLowerCase().split(';')[0].trim();
  if (c === 'application/octet-stream') return true; // browsers send this when they do not know
  if (c === 'image/jpg') return detected === 'image/jpeg';
  if (detected === 'application/geo+json')
    return ['application/json', 'text/plain', ''].includes(c) || c === detected;
  return c === detected;
}
