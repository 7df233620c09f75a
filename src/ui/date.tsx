/**
 * The day of an event in the reader's time zone (their Preferences; UTC signed out), as a <time> whose
 * datetime is the instant and whose data-full is the date and time in full, which the print stylesheet
 * shows instead (public/app.css, @media print).
 */
import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import { isoInstant } from '../i18n/index.ts';

export function When({ at }: { at: Date | string | null | undefined }) {
  const c = useRequestContext<AppEnv>();
  const i18n = c.get('i18n');
  if (!at) return <>—</>;
  const zone = c.get('auth')?.user.timeZone ?? 'UTC';
  return (
    <time datetime={isoInstant(at)} data-full={i18n.fullDateTime(at, zone)}>
      {i18n.dateIn(at, zone)}
    </time>
  );
}
