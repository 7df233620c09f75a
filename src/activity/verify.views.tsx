import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import { useViewerTimeZone } from './activity.views.tsx';
import type { Head, Verdict } from './verify.ts';

/** The chain's head: what a customer keeps elsewhere to prove later that nothing before it changed. */
function HeadOf({ head }: { head: Head | null }) {
  const i18n = useRequestContext<AppEnv>().get('i18n');
  const zone = useViewerTimeZone();
  if (!head) return <p>{i18n.t('activity.verify.noHead')}</p>;
  return (
    <>
      <p>{i18n.t('activity.verify.head', { n: i18n.number(head.seq), time: i18n.dateTime(head.at, zone) })}</p>
      <p>
        {/* In groups of eight, as fingerprints are read aloud and compared: the line wraps between groups at 360 px. */}
        <code>{head.hash.match(/.{1,8}/g)!.join(' ')}</code>
      </p>
    </>
  );
}

/** The result of a page of the check: intact, changed at an entry, or still checking (htmx goes on by itself; a link without JavaScript). */
export function VerifyResult({ v }: { v: Verdict }) {
  const i18n = useRequestContext<AppEnv>().get('i18n');
  const { t } = i18n;
  const zone = useViewerTimeZone();
  const time = (at: string | null) => (at ? i18n.dateTime(at, zone) : '');
  if (v.kind === 'more') {
    const next = `/activity/verify?from=${v.checkedTo}`;
    return (
      <section id="verify-result">
        <p role="status">{t('activity.verify.progress', { count: v.checkedTo })}</p>
        <p>
          <a href={next} data-hx-get={next} data-hx-trigger="load" data-hx-target="#verify-result" data-hx-swap="outerHTML">
            {t('activity.verify.continue')}
          </a>
        </p>
      </section>
    );
  }
  return (
    <section id="verify-result">
      {v.kind === 'intact' ? (
        <p role="status" class="notice">
          {v.count === 0 ? t('activity.verify.empty') : t('activity.verify.intact', { count: v.count, time: time(v.at) })}
        </p>
      ) : (
        <div role="status" class="notice notice-error">
          <p>{t('activity.verify.changed', { n: i18n.number(v.seq), time: time(v.at) })}</p>
          <p>{t('activity.verify.changedHelp')}</p>
        </div>
      )}
      <h2>{t('activity.verify.headTitle')}</h2>
      <HeadOf head={v.head} />
    </section>
  );
}

export function VerifyPage({ v }: { v: Verdict }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <>
      <h1>{t('activity.verify.title')}</h1>
      <p>{t('activity.verify.intro')}</p>
      <VerifyResult v={v} />
      <p>
        <a href="/activity">{t('activity.verify.back')}</a>
      </p>
    </>
  );
}
