import { timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '../ids.js';

/** Columns most tables share. */
export const id = () => uuid('id').primaryKey().$defaultFn(newId);
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdateFn(() => new Date());
export const deletedAt = () => timestamp('deleted_at', { withTimezone: true });
export const tstz = (name: string) => timestamp(name, { withTimezone: true });
