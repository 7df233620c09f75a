/**
 * Every e-mail goes out in its recipient's language, decided where the mail is written, inside the same
 * statement: the producer renders the mail in each language, and the database picks, for the address,
 *   1. the stored language of the account with that address (users.locale),
 *   2. else the language of that account's organization's country,
 *   3. else the language of the recipient's organization when the producer knows it (a partner's contact
 *      address with no account: the partner's country),
 *   4. else the producer's fallback (for an address with no account: the language the sender picked).
 * So a partner browsing in Chinese never writes to a Polish customer in Chinese. See
 * docs/decisions/050-mail-in-the-recipients-language.md.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { i18n, type I18n } from '../i18n/index.ts';
import { locales, type Locale } from '../i18n/locales.ts';
import { countryLanguageSql } from '../i18n/regional.ts';

export interface MailText {
  subject: string;
  body: string;
}

/** An e-mail in all three languages, before the database knows whose language it is. */
export interface LocalizedMail {
  to: string;
  texts: Record<Locale, MailText>;
  /** The language when nothing is known about the address. */
  fallback: Locale;
  /** The recipient's organization, when known without an account (a partner's contact address). */
  recipientOrgId?: string | null;
  dedupeKey?: string;
}

/** Renders the same mail in every language. */
export function inEveryLanguage(render: (i: I18n) => MailText): Record<Locale, MailText> {
  return Object.fromEntries(locales.map((l) => [l, render(i18n(l))])) as Record<Locale, MailText>;
}

export function localizedMail(to: string, fallback: Locale, render: (i: I18n) => MailText, extra: Pick<LocalizedMail, 'recipientOrgId' | 'dedupeKey'> = {}): LocalizedMail {
  return { to, fallback, texts: inEveryLanguage(render), ...extra };
}

/** The language the database picks for an address (steps 1–4 above), as an SQL expression over `v`. */
export const recipientLocaleSql = (to: SQL, orgId: SQL, fallback: SQL) => sql`coalesce(
    (select coalesce(u.locale, ${countryLanguageSql(sql`o.country`)}) from users u join organizations o on o.id = u.org_id where lower(u.email) = lower(${to}) limit 1),
    (select ${countryLanguageSql(sql`o.country`)} from organizations o where o.id = ${orgId}),
    ${fallback})`;

/**
 * The outbox insert for localized mails, as SQL another statement can embed as a CTE (like mailInsert);
 * `onlyIf` writes them only when the change happened.
 */
export function localizedMailInsert(mails: LocalizedMail[], onlyIf: SQL = sql`true`): SQL {
  if (mails.length === 0) return sql`select 1 where false`;
  const values = sql.join(
    mails.map(
      (m) =>
        sql`(${m.to}::text, ${m.fallback}::text, ${m.recipientOrgId ?? null}::uuid, ${m.dedupeKey ?? null}::text,
          ${m.texts.en.subject}::text, ${m.texts.en.body}::text, ${m.texts.pl.subject}::text, ${m.texts.pl.body}::text, ${m.texts.zh.subject}::text, ${m.texts.zh.body}::text)`,
    ),
    sql`, `,
  );
  return sql`insert into outbox (to_address, subject, body, dedupe_key)
    select v.to_address,
      case l.locale when 'pl' then v.subject_pl when 'zh' then v.subject_zh else v.subject_en end,
      case l.locale when 'pl' then v.body_pl when 'zh' then v.body_zh else v.body_en end,
      v.dedupe_key
    from (values ${values}) as v (to_address, fallback, org_id, dedupe_key, subject_en, body_en, subject_pl, body_pl, subject_zh, body_zh)
      cross join lateral (select ${recipientLocaleSql(sql`v.to_address`, sql`v.org_id`, sql`v.fallback`)} as locale) l
    where ${onlyIf}
    on conflict (dedupe_key) do nothing`;
}

/** Writes localized mails to the outbox in the caller's transaction (one statement). */
export async function enqueueLocalizedMail(db: Queryable, ...mails: LocalizedMail[]): Promise<void> {
  if (mails.length === 0) return;
  await db.execute(localizedMailInsert(mails));
}
