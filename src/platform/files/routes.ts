import type { FastifyReply } from 'fastify';
import sharp from 'sharp';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { uuidParam } from '../http/schemas.js';
import type { App } from '../http/types.js';
import { describeFile, findReadable } from './service.js';
import { type FileRow, maxImagePixels } from './store.js';

const fileOut = z.object({
  id: z.uuid(),
  mime: z.string(),
  size: z.number().int(),
  name: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  url: z.string(),
  thumbnailUrl: z.string().nullable(),
});

const tags = ['files'];

export default async function fileRoutes(app: App) {
  app.post(
    '/files',
    {
      config: { action: 'file.upload' },
      schema: {
        tags,
        summary: '上传文件（图片、PDF、Excel；按内容识别类型）',
        consumes: ['multipart/form-data'],
        response: { 201: fileOut },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA', 415);
      const part = await req.file();
      if (!part)
        throw new AppError('VALIDATION', 400, 'error.FILE_REQUIRED', undefined, [
          { path: 'file', message: '请选择文件' },
        ]);
      const bytes = await part.toBuffer();
      const row = await app.ctx.files.save(app.ctx.db, bytes, {
        name: part.filename,
        claimedMime: part.mimetype,
        createdBy: req.caller.user!.id,
      });
      return reply.status(201).send(describeFile(row));
    },
  );

  app.get(
    '/files/:id',
    {
      config: { action: 'authenticated' },
      schema: { tags, summary: '下载文件（上传者本人，或有权查看其所属记录者）', params: uuidParam },
    },
    async (req, reply) =>
      sendFile(
        app.ctx,
        reply,
        await findReadable(app.ctx.db, req.caller, req.params.id),
        req.caller.user!.id,
      ),
  );

  app.get(
    '/files/:id/thumbnail',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary: '图片缩略图（JPEG，不含 EXIF）',
        params: uuidParam,
        querystring: z.object({ w: z.coerce.number().int().min(32).max(1280).default(320) }),
      },
    },
    async (req, reply) =>
      sendThumbnail(app.ctx, reply, await findReadable(app.ctx.db, req.caller, req.params.id), req.query.w),
  );
}

/** Sends a stored file. Others than the uploader get pictures re-encoded without EXIF (GPS, camera). */
export async function sendFile(ctx: AppContext, reply: FastifyReply, row: FileRow, viewerId: string) {
  reply.header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff');
  if (row.mime.startsWith('image/') && row.createdBy !== viewerId) {
    const bytes = await sharp(await ctx.files.read(row), { limitInputPixels: maxImagePixels })
      .rotate()
      .toBuffer()
      .catch(() => {
        throw new AppError('IMAGE_UNREADABLE', 415);
      });
    return reply.type(row.mime).send(bytes);
  }
  if (!row.mime.startsWith('image/'))
    reply.header(
      'content-disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(row.name ?? row.id)}`,
    );
  return reply.type(row.mime).send(ctx.files.stream(row));
}

export async function sendThumbnail(ctx: AppContext, reply: FastifyReply, row: FileRow, width: number) {
  const bytes = await ctx.files.thumbnail(row, width);
  return reply.header('cache-control', 'private, max-age=86400').type('image/jpeg').send(bytes);
}
