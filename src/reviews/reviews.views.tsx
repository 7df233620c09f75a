/**
 * The access-review page of one delegated-admin relationship: the open review (each role with its last
 * use, Keep / Remove, and Keep all) and the review settings. Plain POST forms; htmx swaps the section.
 */
import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import type { MessageKey } from '../i18n/index.ts';
import { CsrfField, ErrorSummary } from '../ui/form.tsx';
import { Notice } from '../ui/notice.tsx';
import type { ReviewPage } from './reviews.queries.ts';
import { GRACE_MS, reviewHref, reviewPeriods, unansweredPolicies, type Decision } from './reviews.rules.ts';

const PAGE = '/settings/partner-relationships';

export interface ReviewState {
  notice?: string;
  error?: string;
  /** What was chosen on a form that came back. */
  chosen?: Record<string, Decision>;
}

const roleName = (t: (k: MessageKey) => string, r: string) => t(`rel.role.${r}` as MessageKey);

function OpenReview({ p, chosen }: { p: ReviewPage; chosen?: Record<string, Decision> }) {
  const c = useRequestContext<AppEnv>();
  const i = c.get('i18n');
  const { t } = i;
  const zone = c.get('auth')?.user.timeZone ?? 'UTC';
  const review = p.review!;
  const action = reviewHref(p.id);
  const swap = { 'data-hx-target': '#review', 'data-hx-swap': 'outerHTML' };
  return (
    <div class="pane">
      <h2>{t('reviews.open.heading', { date: i.dateIn(review.dueAt, zone) })}</h2>
      <p>
        {t('reviews.open.intro', {
          deadline: i.dateIn(new Date(new Date(review.dueAt).getTime() + GRACE_MS), zone),
          policy: t(`reviews.policy.${p.unanswered}`),
        })}
      </p>
      <form method="post" action={action} data-hx-post={action} {...swap}>
        <CsrfField />
        <input type="hidden" name="reviewId" value={review.id} />
        {p.lastUse.map((u) => (
          <fieldset class="field" id={`role-${u.role}`}>
            <legend>{roleName(t, u.role)}</legend>
            <p class="muted">
              {u.at ? t('reviews.lastUse', { date: i.dateTime(u.at, zone), person: u.by ?? t('activity.unknownName') }) : t('reviews.neverUsed')}
            </p>
            {(['keep', 'remove'] as const).map((d) => (
              <label>
                <input type="radio" name={`role_${u.role}`} value={d} checked={chosen?.[u.role] === d} /> {t(`reviews.${d}`)}
              </label>
            ))}
          </fieldset>
        ))}
        <div class="actions">
          <button class="primary">{t('reviews.submit')}</button>
        </div>
      </form>
      <form method="post" action={`${action}/keep-all`} data-hx-post={`${action}/keep-all`} {...swap}>
        <CsrfField />
        <input type="hidden" name="reviewId" value={review.id} />
        <button aria-describedby="keep-all-hint">{t('reviews.keepAll')}</button>{' '}
        <small id="keep-all-hint" class="hint">
          {t('reviews.keepAllHint')}
        </small>
      </form>
    </div>
  );
}

function Settings({ p }: { p: ReviewPage }) {
  const c = useRequestContext<AppEnv>();
  const i = c.get('i18n');
  const { t } = i;
  const zone = c.get('auth')?.user.timeZone ?? 'UTC';
  const action = `${reviewHref(p.id)}/settings`;
  return (
    <form method="post" action={action} data-hx-post={action} data-hx-target="#review" data-hx-swap="outerHTML" class="pane">
      <CsrfField />
      <h2>{t('reviews.settings.heading')}</h2>
      {(!p.everyDays || p.nextDueAt || p.lastReviewedAt) && (
        <p>
          {!p.everyDays ? t('reviews.off') : p.nextDueAt ? t('reviews.next', { date: i.dateIn(p.nextDueAt, zone) }) : ''}
          {p.lastReviewedAt && <> {t('reviews.lastReviewed', { date: i.dateIn(p.lastReviewedAt, zone) })}</>}
        </p>
      )}
      <div class="field">
        <label for="f-period">{t('reviews.period.label')}</label>
        <select id="f-period" name="period">
          <option value="off" selected={!p.everyDays}>
            {t('reviews.period.off')}
          </option>
          {reviewPeriods.map((d) => (
            <option value={String(d)} selected={p.everyDays === d}>
              {t('reviews.period.every', { days: d })}
            </option>
          ))}
        </select>
      </div>
      <fieldset class="field">
        <legend>{t('reviews.unanswered.label')}</legend>
        {unansweredPolicies.map((u) => (
          <label>
            <input type="radio" name="unanswered" value={u} checked={p.unanswered === u} /> {t(`reviews.option.${u}`)}
          </label>
        ))}
      </fieldset>
      <button class="primary">{t('reviews.settings.save')}</button>
    </form>
  );
}

/** The part htmx swaps after each form. */
export function ReviewSection({ p, notice, error, chosen }: { p: ReviewPage } & ReviewState) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const active = p.status === 'active';
  return (
    <section id="review">
      <Notice message={notice} />
      <ErrorSummary errors={error} />
      {!active ? (
        <p>{t('reviews.inactive')}</p>
      ) : (
        <>
          {p.review ? <OpenReview p={p} chosen={chosen} /> : <p>{t('reviews.noOpen')}</p>}
          <Settings p={p} />
        </>
      )}
    </section>
  );
}

export function ReviewPageView(props: { p: ReviewPage } & ReviewState) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const { p } = props;
  return (
    <>
      <p>
        <a href={PAGE}>{t('rel.backToList')}</a>
      </p>
      <h1>{t('reviews.title', { partner: p.partnerName })}</h1>
      <p>{t('reviews.intro', { partner: p.partnerName })}</p>
      <ReviewSection {...props} />
      <p>
        <a href={`/activity?partner=${p.partnerOrgId}&action=relationship`}>{t('reviews.history')}</a>
      </p>
    </>
  );
}
