/**
 * Delegated admin ends by itself at its end date. Reads already treat a passed end date as expired
 * (`effectiveStatus`, and the grant check when acting for a customer); this job records it (status,
 * audit row, e-mails) and sends the 30/7/1-day reminders, each once per relationship and threshold.
 */
import { sql } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import { rows, type Db } from '../db/client.ts';
import { i18n } from '../i18n/index.ts';
import { isLocale, type Locale } from '../i18n/locales.ts';
import { countryLanguageSql } from '../i18n/regional.ts';
import { enqueueMail, type Mail } from '../mail/outbox.ts';
import type { PeriodicJob } from '../mail/worker.ts';
import { dueReminder } from './relationships.rules.ts';
import { leftBehindRowsSql, leftBehindText, type LeftBehindRows } from './left-behind.queries.ts';
import { DAY } from '../time.ts';

interface Ending {
  id: string;
  endsAt: string;
  customerName: string;
  partnerName: string;
  country: string;
  /** Each recipient with their own language: stored, else their organization country's; `customer`: one of the customer's global admins. */
  recipients: { email: string; locale: Locale; customer: boolean }[];
  /** What the partner left behind (issue 23), for the customer's global admins: only when it expired. */
  leftBehind?: LeftBehindRows;
}

/**
 * Who is mailed about relationship `r`: the customer's global admins and (`partner`) the partner's admins,
 * each with their language and which side they are on. Used by the expiry and the access-review jobs.
 */
export const relationshipRecipientsSql = (partner = true) => sql`(select coalesce(json_agg(json_build_object('email', u.email,
    'locale', coalesce(u.locale, ${countryLanguageSql(sql`uo.country`)}), 'customer', u.org_id = r.org_id) order by u.email), '[]')
  from users u join organizations uo on uo.id = u.org_id
  where (u.org_id = r.org_id and u.role = 'global_admin') ${partner ? sql`or (u.org_id = r.partner_org_id and u.role = 'partner_admin')` : sql``})`;
const recipients = relationshipRecipientsSql();

export async function runExpiryJob(db: Db, now: Date): Promise<{ expired: number; reminded: number }> {
  const at = now.toISOString();
  const expired = await db.transaction(async (tx) => {
    const ended = await rows<Ending>(
      tx,
      sql`with ended as (
          update partner_relationships r set status = 'expired', ended_at = r.ends_at
          where r.type = 'delegated_admin' and r.status = 'active' and r.ends_at <= ${at}::timestamptz
          returning r.id, r.org_id, r.partner_org_id, r.ends_at, r.roles),
        audited as (${auditInsert(
          {
            orgId: sql`e.org_id`,
            partnerOrgId: sql`e.partner_org_id`,
            actorName: 'partnerdesk',
            action: 'relationship.expired',
            targetType: 'partner_relationship',
            targetId: sql`e.id::text`,
            before: sql`json_build_object('type', 'delegated_admin', 'status', 'active', 'roles', e.roles)`,
            after: sql`json_build_object('type', 'delegated_admin', 'status', 'expired')`,
          },
          sql`ended e`,
        )})
        select r.id, r.ends_at as "endsAt", o.name as "customerName", p.name as "partnerName", o.country, ${recipients} as recipients,
          ${leftBehindRowsSql(sql`r.id`)} as "leftBehind"
        from ended r join organizations o on o.id = r.org_id join partners p on p.org_id = r.partner_org_id`,
    );
    const mails: Mail[] = ended.flatMap((r) => {
      const names = { customer: r.customerName, partner: r.partnerName };
      return r.recipients.map(({ email: to, locale, customer }) => {
        const i = i18n(isLocale(locale) ? locale : 'en');
        const { t } = i;
        // The customer's global admins also get what the partner left behind, to review it.
        const left = customer && r.leftBehind ? leftBehindText(i, r.partnerName, r.leftBehind) : '';
        return { to, subject: t('rel.mail.expired.subject', names), body: t('rel.mail.expired.body', names) + left, dedupeKey: `expired:${r.id}:${to}` };
      });
    });
    await enqueueMail(tx, ...mails);
    return ended.length;
  });

  const ending = await rows<Ending>(
    db,
    sql`select r.id, r.ends_at as "endsAt", o.name as "customerName", p.name as "partnerName", o.country, ${recipients} as recipients
      from partner_relationships r join organizations o on o.id = r.org_id join partners p on p.org_id = r.partner_org_id
      where r.status = 'active' and r.type = 'delegated_admin'
        and r.ends_at > ${at}::timestamptz and r.ends_at <= ${new Date(now.getTime() + 30 * DAY).toISOString()}::timestamptz`,
  );
  const reminders: Mail[] = ending.flatMap((r) => {
    const days = dueReminder(r.endsAt, now);
    if (!days) return [];
    // One key per relationship, threshold and recipient: a second run (or a second instance) adds nothing.
    return r.recipients.map(({ email: to, locale }) => {
      const { t, date } = i18n(isLocale(locale) ? locale : 'en');
      const names = { customer: r.customerName, partner: r.partnerName, days, date: date(r.endsAt) };
      return { to, subject: t('rel.mail.reminder.subject', names), body: t('rel.mail.reminder.body', names), dedupeKey: `reminder:${r.id}:${days}:${to}` };
    });
  });
  await enqueueMail(db, ...reminders);
  return { expired, reminded: reminders.length };
}

/** Run beside outbox delivery; src/server.ts lists it with the other background jobs. */
export const delegatedAdminExpiryJob: PeriodicJob = {
  name: 'delegated-admin-expiry',
  everyMs: 15 * 60 * 1000,
  run: (db, now) => runExpiryJob(db, now).then(() => undefined),
};
