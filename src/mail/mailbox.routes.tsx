/**
 * /dev/mailbox: what this instance would have sent. Only when no SMTP_URL is set and NODE_ENV is not
 * production (otherwise the page does not exist: 404). It stands in for each person's own inbox, so a
 * fresh `npm start` is usable (a new account's verification link lands here): any signed-in person,
 * verified or not, sees only the mail addressed to them; a partner admin also the mail of their partner
 * organization's people (links they send on behalf of colleagues come back to them). Never another
 * organization's mail.
 */
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { When } from '../ui/date.tsx';
import { Hono } from 'hono';
import { useRequestContext } from '#jsx/jsx-runtime';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { outbox, users } from '../db/schema.ts';
import type { Env } from '../env.ts';
import { notFound } from '../http/middleware.tsx';
import { requireRole } from '../authorization/require-role.ts';
import { query } from '../http/validate.ts';
import { Pager } from '../ui/pager.tsx';

const PAGE = 20;

type MailRow = Pick<typeof outbox.$inferSelect, 'id' | 'toAddress' | 'subject' | 'body' | 'createdAt'>;

export function devMailboxOpen(env: Env): boolean {
  return env.NODE_ENV !== 'production' && !env.SMTP_URL;
}

/** A mail's text as sent; the app's own links in it (a confirmation, an authorization link) are links here. */
function MailBody({ body }: { body: string }) {
  const base = useRequestContext<AppEnv>().get('deps').env.PUBLIC_URL;
  const own = new RegExp(`(${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S*)`);
  return <pre>{body.split(own).map((part, i) => (i % 2 === 1 ? <a href={part}>{part}</a> : part))}</pre>;
}

function MailboxPage({ mails, older, wholeOrg }: { mails: MailRow[]; older: number | null; wholeOrg: boolean }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
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
            {t('mail.mailbox.to')}: {m.toAddress} · {t('mail.mailbox.written')}: <When at={m.createdAt} />
          </p>
          <MailBody body={m.body} />
        </article>
      ))}
      {older !== null && <Pager next={`/dev/mailbox?before=${older}`} nextLabel={t('mail.mailbox.older')} />}
    </section>
  );
}

export const mailboxRoutes = new Hono<AppEnv>().get(
  '/dev/mailbox',
  requireRole(),
  query(z.object({ before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional() })),
  async (c) => {
    const { env, db } = c.get('deps');
    if (!devMailboxOpen(env)) return notFound(c);
    const auth = c.get('auth')!;
    const wholeOrg = auth.user.role === 'partner_admin';
    const before = c.req.valid('query').before ?? Number.MAX_SAFE_INTEGER;
    // Addresses compared without case, as sign-in compares them; the organization id scopes the people.
    const found: MailRow[] = await db
      .select({ id: outbox.id, toAddress: outbox.toAddress, subject: outbox.subject, body: outbox.body, createdAt: outbox.createdAt })
      .from(outbox)
      .where(
        and(
          lt(outbox.id, before),
          inArray(
            sql`lower(${outbox.toAddress})`,
            db
              .select({ email: sql`lower(${users.email})` })
              .from(users)
              .where(wholeOrg ? eq(users.orgId, auth.org.id) : and(eq(users.orgId, auth.org.id), eq(users.id, auth.user.id))),
          ),
        ),
      )
      .orderBy(desc(outbox.id))
      .limit(PAGE + 1);
    const mails = found.slice(0, PAGE);
    const older = found.length > PAGE ? Number(mails[mails.length - 1].id) : null;
    return c.render(<MailboxPage mails={mails} older={older} wholeOrg={wholeOrg} />, { title: c.get('i18n').t('mail.mailbox.title') });
  },
);
