/**
 * Settings → Partner relationships → Access review (issue 25 §1), the customer's global admins only: the
 * review page, the review settings, and the answer (Keep / Remove per role, or Keep all). Every action is
 * one statement; JavaScript off, a redirect with a notice; htmx, the section swapped in place.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../authorization/require-role.ts';
import { UUID } from '../http/cursor.ts';
import { notFound } from '../http/middleware.tsx';
import { isPartial, now, redirectWithFlash } from '../http/respond.ts';
import { badRequest, form } from '../http/validate.ts';
import { i18n, type MessageKey } from '../i18n/index.ts';
import { locales } from '../i18n/locales.ts';
import { fragment } from '../ui/fragment.tsx';
import { rolesText } from './reviews.job.ts';
import { answerReview, reviewPage, saveSettings, type OutcomeMail } from './reviews.queries.ts';
import { actionsOfRole } from '../authorization/roles.rules.ts';
import { decisionsOf, isPeriod, isPolicy, reviewHref } from './reviews.rules.ts';
import { ReviewPageView, ReviewSection, type ReviewState } from './reviews.views.tsx';

const REVIEW = `/settings/partner-relationships/:id{${UUID}}/review`;
const globalAdmin = requireRole('global_admin');
const uuid = new RegExp(`^${UUID}$`, 'i');

/** The page, or (htmx) the section, read again after an action. */
async function show(c: Context<AppEnv>, state: ReviewState = {}, status: 200 | 409 | 422 = 200) {
  const auth = c.get('auth')!;
  const p = await reviewPage(c.get('deps').db, auth.org.id, c.req.param('id')!, now(c));
  if (!p) return notFound(c);
  if (isPartial(c)) return fragment(c, <ReviewSection p={p} {...state} />, status);
  c.status(status);
  return c.render(<ReviewPageView p={p} {...state} />, { title: c.get('i18n').t('reviews.title', { partner: p.partnerName }) });
}

/** After an action: htmx gets the section with the notice; without JavaScript, the page again with it. */
function done(c: Context<AppEnv>, key: MessageKey) {
  if (isPartial(c)) return show(c, { notice: c.get('i18n').t(key) });
  return redirectWithFlash(c, reviewHref(c.req.param('id')!), key);
}

/** The partner's mail about the outcome, in every language (the database fills in the names and the lists). */
const outcomeMail = (): OutcomeMail =>
  Object.fromEntries(
    locales.map((l) => {
      const i = i18n(l);
      const roleLabels = Object.fromEntries(Object.keys(actionsOfRole).map((r) => [r, i.t(`rel.role.${r}` as MessageKey)]));
      return [
        l,
        {
          subject: i.t('reviews.mail.outcome.subject'),
          body: i.t('reviews.mail.outcome.body'),
          roleLabels,
          separator: i.t('common.listSeparator'),
          none: i.t('reviews.none'),
        },
      ];
    }),
  ) as OutcomeMail;

const answerForm = z.object({ reviewId: z.string().max(100) }).catchall(z.string().max(100));

async function answer(c: Context<AppEnv>, values: Record<string, string>, keepAll: boolean) {
  const auth = c.get('auth')!;
  const i = c.get('i18n');
  const id = c.req.param('id')!;
  if (!uuid.test(values.reviewId ?? '')) return badRequest(c);
  const chosen = decisionsOf(values);
  const result = await answerReview(c.get('deps').db, {
    orgId: auth.org.id,
    id,
    reviewId: values.reviewId.toLowerCase(),
    decisions: chosen,
    keepAll,
    actor: { id: auth.user.id, name: auth.user.name },
    now: now(c),
    mail: outcomeMail(),
  });
  switch (result.outcome) {
    case 'notFound':
      return notFound(c);
    case 'notOpen':
      if (isPartial(c)) return show(c, { error: i.t('reviews.notOpen') }, 409);
      return redirectWithFlash(c, reviewHref(id), 'reviews.notOpen');
    case 'missing':
      // The form again, with what was chosen and which roles still need a choice.
      return show(c, { error: i.t('reviews.error.missing', { roles: rolesText(i, result.missing) }), chosen }, 422);
    case 'answered':
      return done(c, 'reviews.answered');
  }
}

export const reviewRoutes = new Hono<AppEnv>()
  .get(REVIEW, globalAdmin, (c) => show(c))
  .post(REVIEW, globalAdmin, form(answerForm), (c) => answer(c, c.req.valid('form'), false))
  .post(`${REVIEW}/keep-all`, globalAdmin, form(answerForm), (c) => answer(c, c.req.valid('form'), true))
  .post(`${REVIEW}/settings`, globalAdmin, form(z.object({ period: z.string().max(10), unanswered: z.string().max(20) })), async (c) => {
    const auth = c.get('auth')!;
    const { period, unanswered } = c.req.valid('form');
    // A select and two radios: anything else is no honest form's.
    if (!isPeriod(period) || !isPolicy(unanswered)) return badRequest(c);
    const saved = await saveSettings(c.get('deps').db, {
      orgId: auth.org.id,
      id: c.req.param('id'),
      everyDays: period === 'off' ? null : Number(period),
      unanswered,
      actor: { id: auth.user.id, name: auth.user.name },
      now: now(c),
    });
    if (!saved) {
      // Not this organization's delegated admin (404), or no longer active (the page says so).
      return show(c, { error: c.get('i18n').t('reviews.inactive') }, 409);
    }
    return done(c, 'reviews.settings.saved');
  });
