/** The timestamp columns every table uses (not part of the schema's exports). */
import { timestamp } from 'drizzle-orm/pg-core';

export const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
export const ts = () => timestamp({ withTimezone: true });
