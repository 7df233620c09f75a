import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { customerAdmin, requireRole } from '../authorization/require-role.ts';
import { badRequest, parsedQuery, query } from '../http/validate.ts';
import { respond } from '../ui/fragment.tsx';
import { pageRead } from '../auth/session-read.ts';
import { isPartial } from '../http/respond.ts';
import { activityBatch, activityPage, activityRead, categories, type ActivityExportRow, type ActivityFilter } from './activity.queries.ts';
import { ActivityList, ActivityPage } from './activity.views.tsx';
import { actorLabel, activitySentence } from './sentence.ts';
import { csvResponse, isoUtc, utcHeader } from './csv.ts';
import { verdict, verifyRead } from './verify.ts';
import { VerifyPage, VerifyResult } from './verify.views.tsx';

const CSV_BATCH = 1000;

const filterQuery = z.object({
  partner: z.union([z.literal(''), z.uuid()]).optional(),
  action: z.enum(['', ...categories]).optional(),
  before: z
    .string()
    .regex(/^[0-9]{1,15}$/)
    .optional(),
});

const verifyQuery = z.object({
  from: z
    .string()
    .regex(/^[0-9]{1,15}$/)
    .optional(),
});

function toFilter(q: z.output<typeof filterQuery>): ActivityFilter {
  return { partner: q.partner || null, category: q.action || null };
}

export const activityRoutes = new Hono<AppEnv>()
  .get(
    '/activity',
    requireRole(...customerAdmin),
    pageRead(
      (c) => {
        const q = parsedQuery(c, filterQuery);
        if (!q) return null;
        const filter = toFilter(q);
        return { ...activityRead(filter, q.before ? Number(q.before) : null, !isPartial(c)), filter };
      },
      (c, read, { filter }) => {
        const page = activityPage(read);
        return respond(c, {
          part: <ActivityList entries={page.entries} more={page.more} filter={filter} />,
          page: <ActivityPage {...page} filter={filter} />,
          title: c.get('i18n').t('activity.title'),
        });
      },
      badRequest,
    ),
  )
  .get(
    '/activity/verify',
    requireRole(...customerAdmin),
    pageRead(
      (c) => {
        const q = parsedQuery(c, verifyQuery);
        return q ? { read: verifyRead, values: { from: Number(q.from ?? 0), limit: c.get('deps').env.VERIFY_PAGE_ROWS } } : null;
      },
      (c, { rows }, { values }) => {
        const v = verdict(rows[0], values.limit);
        return respond(c, { part: <VerifyResult v={v} />, page: <VerifyPage v={v} />, title: c.get('i18n').t('activity.verify.title') });
      },
      badRequest,
    ),
  )
  .get('/activity.csv', requireRole(...customerAdmin), query(filterQuery), (c) => {
    const filter = toFilter(c.req.valid('query'));
    const i18n = c.get('i18n');
    const { t } = i18n;
    const db = c.get('deps').db;
    const orgId = c.get('auth')!.org.id;
    return csvResponse<ActivityExportRow>(
      'activity.csv',
      // The sentence for people, the code beside it for machines; the time in ISO 8601, UTC, as in every export.
      [
        utcHeader(t('activity.col.when')),
        t('activity.col.what'),
        t('activity.col.code'),
        t('activity.col.who'),
        t('activity.col.partner'),
        t('activity.col.target'),
        t('activity.col.hash'),
      ],
      (after) => activityBatch(db, orgId, filter, after?.id ?? null, CSV_BATCH),
      (e) => [
        isoUtc(e.createdAt),
        activitySentence(i18n, e),
        e.action,
        actorLabel(i18n, e),
        e.partnerName,
        e.targetType ? `${e.targetType}:${e.targetId ?? ''}` : '',
        e.hash,
      ],
      CSV_BATCH,
    );
  });
