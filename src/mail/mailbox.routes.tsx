/**
 * /dev/mailbox: what this instance would have sent. Only when no SMTP_URL is set and NODE_ENV is not
 * production, and only to admins (customer global admins, partner admins) of the running instance:
 * it is the development stand-in for a mail server, so it shows every organization's mail.
 * Otherwise the page does not exist (404).
 */
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { useRequestContext } from 'hono/jsx-renderer';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { rows } from '../db/client.ts';
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

function MailboxPage({ mails, older }: { mails: MailRow[]; older: number | null }) {
  const { t, date } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section>
      <h1>{t('mail.mailbox.title')}</h1>
      <p class="muted">{t('mail.mailbox.intro')}</p>
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

export const mailboxRoutes = new Hono<AppEnv>().get('/dev/mailbox', requireRole('global_admin', 'partner_admin'), query(z.object({ before: z.coerce.number().int().positive().optional() })), async (c) => {
  const { env, db } = c.get('deps');
  if (env.NODE_ENV === 'production' || env.SMTP_URL) return errorPage(c, 404, 'error.notFound.title', 'error.notFound.body');
  const before = c.req.valid('query').before ?? Number.MAX_SAFE_INTEGER;
  const found = await rows<MailRow>(
    db,
    sql`select id, to_address, subject, body, created_at from outbox where id < ${before} order by id desc limit ${PAGE + 1}`,
  );
  const mails = found.slice(0, PAGE);
  const older = found.length > PAGE ? Number(mails[mails.length - 1].id) : null;
  return c.render(<MailboxPage mails={mails} older={older} />, { title: c.get('i18n').t('mail.mailbox.title') });
});
