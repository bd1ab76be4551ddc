import { boolean, date, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { updatedAt } from '../db/columns.js';

/** A year of the work calendar: where its days come from and who last edited it. */
export const calendarYear = pgTable('calendar_year', {
  year: integer('year').primaryKey(),
  source: text('source').notNull(),
  provisional: boolean('provisional').notNull().default(false),
  updatedBy: uuid('updated_by'),
  updatedAt: updatedAt(),
});

/** A public holiday or a make-up working day (调休上班); every other day follows the week. */
export const calendarDay = pgTable('calendar_day', {
  date: date('date', { mode: 'string' }).primaryKey(),
  year: integer('year')
    .notNull()
    .references(() => calendarYear.year),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
});
