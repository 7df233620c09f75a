/** Alerts to a customer about what its partners do (issue 25 §2): how far the job has read, and each rule's rate limit. */
import { bigint, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.ts';

/** Per organization, the place in its audit chain up to which the alerts job has read (chain order is commit order). */
export const alertMarks = pgTable('alert_marks', {
  orgId: uuid().primaryKey(),
  seq: bigint({ mode: 'number' }).notNull(),
});

/** Per customer, partner and rule: actions not yet mailed, since when, and the last mail (one per 10 minutes, then a summary). */
export const alertState = pgTable(
  'alert_state',
  {
    orgId: uuid().notNull(),
    partnerOrgId: uuid().notNull(),
    rule: text().notNull(),
    pending: integer().notNull().default(0),
    pendingSince: ts(),
    lastSentAt: ts(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.partnerOrgId, t.rule] })],
);

/** Per organization, the alert settings a global admin chose (Settings → Alerts); no row: the defaults. */
export const alertSettings = pgTable('alert_settings', {
  orgId: uuid().primaryKey(),
  /** More password resets than this by one partner within 10 minutes is one alert (1–100; default 5). */
  resetLimit: integer().notNull().default(5),
});
