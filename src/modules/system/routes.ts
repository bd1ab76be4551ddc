import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { App } from '../../platform/http/types.js';
import { version } from '../../version.js';

export default async function systemRoutes(app: App) {
  app.get(
    '/health',
    {
      config: { action: 'public' },
      schema: {
        tags: ['system'],
        summary: '健康检查（含一次数据库往返）',
        response: {
          200: z.object({ status: z.literal('ok'), db: z.enum(['pglite', 'postgres']), version: z.string() }),
        },
      },
    },
    async () => {
      await app.ctx.db.execute(sql`select 1`);
      return { status: 'ok' as const, db: app.ctx.database.driver, version };
    },
  );
}
