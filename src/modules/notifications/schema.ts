import { sql } from 'drizzle-orm';
import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.js';
import { user } from '../accounts/schema.js';

/** One message in one user's in-app inbox. */
export const notification = pgTable(
  'notification',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    /** Where the web or mobile app opens it, e.g. `/work-orders/<id>`. */
    link: text('link'),
    targetType: text('target_type'),
    targetId: uuid('target_id'),
    createdAt: createdAt(),
    readAt: tstz('read_at'),
    /** Handed to the outbound channels (after the transaction that created it committed). */
    sentAt: tstz('sent_at'),
  },
  (t) => [
    index('notification_inbox_idx').on(t.userId, t.readAt, t.createdAt),
    index('notification_unsent_idx').on(t.createdAt).where(sql`${t.sentAt} is null`),
  ],
);
