/**
 * The one writer of outbox rows: no other file names the outbox columns. Every e-mail goes out in its
 * recipient's language, decided where the mail is written, inside the same statement: the producer
 * renders the mail in each language (`localizedMail`), and the database picks, for the address,
 *   1. the stored language of the account with that address (users.locale),
 *   2. else the language of that account's organization's country,
 *   3. else the language of the recipient's organization when the producer knows it (a partner's contact
 *      address with no account: the partner's country),
 *   4. else the producer's fallback (for an address with no account: the language the sender picked).
 * So a partner browsing in Chinese never writes to a Polish customer in Chinese. See
 * docs/decisions/050-mail-in-the-recipients-language.md and 075-one-writer-of-audit-and-outbox-rows.md.
 *
 * Forms: `enqueueMail` / `enqueueLocalizedMail` write in the caller's transaction; `mailInsert` /
 * `localizedMailInsert` / `localizedMailFrom` are SQL another statement embeds as a CTE, so a change, its
 * audit rows and its e-mails take one round trip. A plain `Mail` is for text already in its recipient's
 * language (the worker's tests, jobs that resolve the language per recipient themselves).
 */
import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { outbox } from '../db/schema.ts';
import { i18n, type I18n } from '../i18n/index.ts';
import { locales, type Locale } from '../i18n/locales.ts';
import { countryLanguageSql } from '../i18n/regional.ts';

export interface Mail {
  to: string;
  subject: string;
  /** Plain text: small, readable in any client. */
  body: string;
  /** A mail that must go at most once (e.g. an expiry reminder): a second enqueue is ignored. */
  dedupeKey?: string;
}

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

/** Writes e-mails to the outbox; call it inside the transaction that makes the change they announce. */
export async function enqueueMail(db: Queryable, ...mails: Mail[]): Promise<void> {
  if (mails.length === 0) return;
  await db
    .insert(outbox)
    .values(mails.map((m) => ({ toAddress: m.to, subject: m.subject, body: m.body, dedupeKey: m.dedupeKey ?? null })))
    .onConflictDoNothing({ target: outbox.dedupeKey });
}

/** The columns every form writes, and the row source that feeds them. */
const insertFrom = (select: SQL, from: SQL, onlyIf: SQL) => sql`insert into outbox (to_address, subject, body, dedupe_key)
    select ${select} from ${from}
    where ${onlyIf}
    on conflict (dedupe_key) do nothing`;

/**
 * `enqueueMail` as an SQL statement to embed as a CTE. `onlyIf` (e.g. `exists (select 1 from changed)`)
 * writes the mails only when the change happened.
 */
export function mailInsert(mails: Mail[], onlyIf: SQL = sql`true`): SQL {
  if (mails.length === 0) return sql`select 1 where false`;
  const values = sql.join(
    mails.map((m) => sql`(${m.to}::text, ${m.subject}::text, ${m.body}::text, ${m.dedupeKey ?? null}::text)`),
    sql`, `,
  );
  return insertFrom(sql`v.to_address, v.subject, v.body, v.dedupe_key`, sql`(values ${values}) as v (to_address, subject, body, dedupe_key)`, onlyIf);
}

/** Renders the same mail in every language. */
export function inEveryLanguage(render: (i: I18n) => MailText): Record<Locale, MailText> {
  return Object.fromEntries(locales.map((l) => [l, render(i18n(l))])) as Record<Locale, MailText>;
}

export function localizedMail(
  to: string,
  fallback: Locale,
  render: (i: I18n) => MailText,
  extra: Pick<LocalizedMail, 'recipientOrgId' | 'dedupeKey'> = {},
): LocalizedMail {
  return { to, fallback, texts: inEveryLanguage(render), ...extra };
}

/** The language the database picks for an address (steps 1–4 above), as an SQL expression (its own aliases: `to` may name a `u`). */
export const recipientLocaleSql = (to: SQL, orgId: SQL, fallback: SQL) => sql`coalesce(
    (select coalesce(ru.locale, ${countryLanguageSql(sql`ro.country`)}) from users ru join organizations ro on ro.id = ru.org_id where lower(ru.email) = lower(${to}) limit 1),
    (select ${countryLanguageSql(sql`ro.country`)} from organizations ro where ro.id = ${orgId}),
    ${fallback})`;

/** Texts of one mail per language, as SQL expressions (over a set, for `localizedMailFrom`). */
export type MailTextsSql = Record<Locale, { subject: SQL; body: SQL }>;

/** Picks each column from the text in language `l.locale`. */
const inLocale = (texts: MailTextsSql, part: 'subject' | 'body') =>
  sql`case l.locale when 'pl' then ${texts.pl[part]} when 'zh' then ${texts.zh[part]} else ${texts.en[part]} end`;

/**
 * Localized mails from a set, to embed as a CTE: one mail per row of `from`, each in its recipient's
 * language (steps 1–4). For recipients known only inside the statement (the admins of both sides of a
 * relationship that statement ends).
 */
export function localizedMailFrom(
  m: { to: SQL; texts: MailTextsSql; fallback: Locale | SQL; recipientOrgId?: SQL; dedupeKey?: SQL },
  from: SQL,
  onlyIf: SQL = sql`true`,
): SQL {
  const fallback = typeof m.fallback === 'string' ? sql`${m.fallback}::text` : m.fallback;
  const locale = recipientLocaleSql(m.to, m.recipientOrgId ?? sql`null::uuid`, fallback);
  return insertFrom(
    sql`${m.to}, ${inLocale(m.texts, 'subject')}, ${inLocale(m.texts, 'body')}, ${m.dedupeKey ?? sql`null::text`}`,
    sql`${from} cross join lateral (select ${locale} as locale) l`,
    onlyIf,
  );
}

/** The outbox insert for localized mails whose texts the code rendered, as SQL to embed as a CTE (none: it inserts nothing). */
export function localizedMailInsert(mails: LocalizedMail[], onlyIf: SQL = sql`true`): SQL {
  return localizedMailInsertFrom(sql`${localizedMailJson(mails)}`, onlyIf);
}

/** Mails as the one parameter `localizedMailInsertFrom` reads. */
export const localizedMailJson = (mails: LocalizedMail[]) =>
  JSON.stringify(
    mails.map((m) => ({
      to_address: m.to,
      fallback: m.fallback,
      org_id: m.recipientOrgId ?? null,
      dedupe_key: m.dedupeKey ?? null,
      ...Object.fromEntries(
        locales.flatMap((l) => [
          [`subject_${l}`, m.texts[l].subject],
          [`body_${l}`, m.texts[l].body],
        ]),
      ),
    })),
  );

const mailColumns = locales.map((l) => `subject_${l} text, body_${l} text`).join(', ');

/** Localized mails from a JSON array (`localizedMailJson`): one statement text however many mails, for a statement built once. */
export function localizedMailInsertFrom(json: SQL | Placeholder, onlyIf: SQL = sql`true`): SQL {
  const col = (c: string) => sql.raw(`v.${c}`);
  const texts = Object.fromEntries(locales.map((l) => [l, { subject: col(`subject_${l}`), body: col(`body_${l}`) }])) as MailTextsSql;
  return localizedMailFrom(
    { to: sql`v.to_address`, texts, fallback: sql`v.fallback`, recipientOrgId: sql`v.org_id`, dedupeKey: sql`v.dedupe_key` },
    sql`jsonb_to_recordset(${json}::jsonb) as v (to_address text, fallback text, org_id uuid, dedupe_key text, ${sql.raw(mailColumns)})`,
    onlyIf,
  );
}

/** Writes localized mails to the outbox in the caller's transaction (one statement). */
export async function enqueueLocalizedMail(db: Queryable, ...mails: LocalizedMail[]): Promise<void> {
  if (mails.length === 0) return;
  await db.execute(localizedMailInsert(mails));
}

/**
 * A catalog text whose `{name}` placeholders the database fills from columns, for mails over a set whose
 * names only the statement knows. The text comes from the catalogs; only the names are the database's.
 */
export function filledSql(template: string, values: Record<string, SQL>): SQL {
  return Object.entries(values).reduce<SQL>((text, [name, value]) => sql`replace(${text}, ${`{${name}}`}::text, ${value})`, sql`${template}::text`);
}
