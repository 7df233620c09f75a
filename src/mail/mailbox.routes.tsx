/**
 * /dev/mailbox: what this instance would have sent. Only when no SMTP_URL is set and NODE_ENV is not
 * production (otherwise the page does not exist: 404). It stands in for each person's own inbox, so a
 * fresh `npm start` is usable (a new account's verification link lands here): any signed-in person,
 * verified or not, sees only the mail addressed to them; a partner admin also the mail of their partner
 * organization's people (links they send on behalf of colleagues come back to them). Never another
 * organization's mail.
 */
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { useRequestContext } from '#jsx/jsx-runtime';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { rows } from '../db/client.ts';
import type { Env } from '../env.ts';
import { errorPage, requireRole } from '../http/middleware.tsx';
import { query } from '../http/validate.ts';

const PAGE = 20;

interface MailRow {
  id: number;
  to_address: string;
  subject: string;
  body: string;
  created_at: string | Date;
}

export function devMailboxOpen(env: Env): boolean {
  return env.NODE_ENV !== 'production' && !env.SMTP_URL;
}

function MailboxPage({ mails, older, wholeOrg }: { mails: MailRow[]; older: number | null; wholeOrg: boolean }) {
  const { t, date } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section>
      <h1>{t('mail.mailbox.title')}</h1>
      <p class="muted">
        {t('mail.mailbox.intro')} {t(wholeOrg ? 'auth.mailbox.scope.org' : 'auth.mailbox.scope.own')}
      </p>
      {mails.length === 0 && <p>{t('mail.mailbox.empty')}</p>}
      {mails.map((m) => (
        <article class="pane" id={`mail-${m.id}`}>
          <h2>{m.subject}</h2>
          <p class="muted">
            {t('mail.mailbox.to')}: {m.to_address} · {t('mail.mailbox.written')}: {date(m.created_at)}
          </p>
          <pre>{m.body}</pre>
        </article>
      ))}
      {older !== null && (
        <p class="pager">
          <a href={`/dev/mailbox?before=${older}`}>{t('mail.mailbox.older')}</a>
        </p>
      )}
    </section>
  );
}

export const mailboxRoutes = new Hono<AppEnv>().get(
  '/dev/mailbox',
  requireRole(),
  query(z.object({ before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional() })),
  async (c) => {
    const { env, db } = c.get('deps');
    if (!devMailboxOpen(env)) return errorPage(c, 404, 'error.notFound.title', 'error.notFound.body');
    const auth = c.get('auth')!;
    const wholeOrg = auth.user.role === 'partner_admin';
    const before = c.req.valid('query').before ?? Number.MAX_SAFE_INTEGER;
    // Addresses compared without case, as sign-in compares them; the organization id scopes the people.
    const found = await rows<MailRow>(
      db,
      sql`select id, to_address, subject, body, created_at from outbox
      where id < ${before} and lower(to_address) in (
        select lower(email) from users where org_id = ${auth.org.id} and (${wholeOrg} or id = ${auth.user.id}))
      order by id desc limit ${PAGE + 1}`,
    );
    const mails = found.slice(0, PAGE);
    const older = found.length > PAGE ? Number(mails[mails.length - 1].id) : null;
    return c.render(<MailboxPage mails={mails} older={older} wholeOrg={wholeOrg} />, { title: c.get('i18n').t('mail.mailbox.title') });
  },
);
