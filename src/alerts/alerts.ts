/**
 * Alerts to a customer's global admins about what a partner does on its behalf (issue 25 §2): "a partner
 * created an account or granted an admin role" and "a partner reset more than 5 passwords in 10 minutes". A background job reads each
 * organization's audit rows past its mark, in chain order (commit order: decision 108), so no action is
 * missed or read twice; it mails at most once per customer, partner and rule in 10 minutes, and then one
 * summary of what came meanwhile. Safe with two instances (a transaction-scoped advisory lock: the
 * second one skips the run). Runs every 20 s, so a first alert leaves within 60 s of the action.
 */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/client.ts';
import { i18n } from '../i18n/index.ts';
import { isLocale, type Locale } from '../i18n/locales.ts';
import { countryLanguageSql } from '../i18n/regional.ts';
import { enqueueMail, type Mail } from '../mail/outbox.ts';
import type { PeriodicJob } from '../mail/worker.ts';

export const ALERT_WINDOW_MS = 10 * 60 * 1000;
/** Partner actions the customer is told of at once: accounts created, admin roles granted. */
const GRANT_ACTIONS = ['user.created', 'user.role_granted'];
/** More password resets than this by one partner within 10 minutes is alerted (per organization setting: not yet; the issue's default). */
export const RESET_LIMIT = 5;

interface Due {
  rule: 'grants' | 'resets';
  orgId: string;
  partnerOrgId: string;
  pending: number;
  since: string;
  customerName: string;
  partnerName: string;
  recipients: { email: string; locale: Locale }[];
}

export async function runAlerts(db: Db, now: Date, publicUrl: string): Promise<number> {
  const at = now.toISOString();
  const windowStart = new Date(now.getTime() - ALERT_WINDOW_MS).toISOString();
  return db.transaction(async (tx) => {
    const [lock] = await rows<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(25250) as ok`);
    if (!lock?.ok) return 0;
    // What partners did past each organization's mark (an organization read for the first time: its last 10 minutes).
    await tx.execute(sql`with heads as (
        select h.org_id, h.seq, m.seq as mark from audit_chain_heads h left join alert_marks m on m.org_id = h.org_id
        where h.seq > coalesce(m.seq, 0)),
      hits as (
        select a.org_id, a.partner_org_id, case when a.action = 'user.password_reset' then 'resets' else 'grants' end as rule,
          count(*)::int as n, min(a.created_at) as first_at
        from heads x join audit_log a on a.org_id = x.org_id and a.chain_seq > coalesce(x.mark, 0) and a.chain_seq <= x.seq
        where a.partner_org_id is not null and a.action in (${sql.join(
          [...GRANT_ACTIONS, 'user.password_reset'].map((a) => sql`${a}`),
          sql`, `,
        )})
          and (x.mark is not null or a.created_at > ${windowStart}::timestamptz)
          and exists (select 1 from users u where u.id = a.actor_user_id and u.org_id = a.partner_org_id)
        group by 1, 2, 3),
      marked as (insert into alert_marks (org_id, seq) select org_id, seq from heads
        on conflict (org_id) do update set seq = excluded.seq)
      insert into alert_state (org_id, partner_org_id, rule, pending, pending_since)
        select org_id, partner_org_id, rule, n, first_at from hits
      on conflict (org_id, partner_org_id, rule) do update set pending = alert_state.pending + excluded.pending,
        pending_since = coalesce(alert_state.pending_since, excluded.pending_since)`);
    // Mail what is pending where the last mail is 10 minutes old (or there was none).
    // Password resets count only as a burst: more than RESET_LIMIT by the partner in the last 10 minutes.
    const resets = sql`(select count(*) from audit_log a join users u on u.id = a.actor_user_id and u.org_id = a.partner_org_id
      where a.org_id = s.org_id and a.partner_org_id = s.partner_org_id and a.action = 'user.password_reset'
        and a.created_at > ${windowStart}::timestamptz)`;
    const due = await rows<Due>(
      tx,
      sql`with bursts as (
          select s.org_id, s.partner_org_id, s.rule, case when s.rule = 'resets' then ${resets} end as burst
          from alert_state s where s.pending > 0),
        quiet as (
          update alert_state s set pending = 0, pending_since = null from bursts b
          where b.org_id = s.org_id and b.partner_org_id = s.partner_org_id and b.rule = s.rule and b.burst <= ${RESET_LIMIT}),
        sent as (
          update alert_state s set pending = 0, pending_since = null, last_sent_at = ${at}::timestamptz
          from alert_state old, bursts b
          where old.org_id = s.org_id and old.partner_org_id = s.partner_org_id and old.rule = s.rule
            and b.org_id = s.org_id and b.partner_org_id = s.partner_org_id and b.rule = s.rule
            and (b.burst is null or b.burst > ${RESET_LIMIT})
            and (s.last_sent_at is null or s.last_sent_at <= ${windowStart}::timestamptz)
          returning s.org_id, s.partner_org_id, s.rule, coalesce(b.burst::int, old.pending) as pending, old.pending_since)
        select s.org_id as "orgId", s.partner_org_id as "partnerOrgId", s.rule, s.pending, s.pending_since as since,
          o.name as "customerName", coalesce(p.name, po.name) as "partnerName",
          (select coalesce(json_agg(json_build_object('email', u.email, 'locale', coalesce(u.locale, ${countryLanguageSql(sql`o.country`)})) order by u.email), '[]')
            from users u where u.org_id = s.org_id and u.role = 'global_admin') as recipients
        from sent s join organizations o on o.id = s.org_id join organizations po on po.id = s.partner_org_id
          left join partners p on p.org_id = s.partner_org_id`,
    );
    const mails: Mail[] = due.flatMap((d) =>
      d.recipients.map(({ email, locale }) => {
        const i = i18n(isLocale(locale) ? locale : 'en');
        const params = {
          partner: d.partnerName,
          customer: d.customerName,
          count: d.pending,
          time: i.dateTime(d.since, 'UTC'),
          activity: `${publicUrl}/activity?partner=${d.partnerOrgId}&action=user`,
          limit: RESET_LIMIT,
          // Suspend for this partner (issue 24 §4): a page with one POST button, JavaScript off works.
          suspend: `${publicUrl}/settings/partner-relationships/partners/${d.partnerOrgId}/suspend`,
        };
        return d.rule === 'resets'
          ? { to: email, subject: i.t('alerts.resets.subject', params), body: i.t('alerts.resets.body', params) }
          : { to: email, subject: i.t('alerts.grants.subject', params), body: i.t('alerts.grants.body', params) };
      }),
    );
    await enqueueMail(tx, ...mails);
    return mails.length;
  });
}

export const alertsJob = (publicUrl: string): PeriodicJob => ({
  name: 'partner-alerts',
  everyMs: 20_000,
  run: (db, now) => runAlerts(db, now, publicUrl).then(() => undefined),
});
