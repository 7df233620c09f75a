/** Preferences → Signed-in sessions: the person's own sessions, each signed out alone or all but this one. */
import { sql } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import { rows, type Queryable } from '../db/client.ts';
import type { Auth } from '../context.ts';

export interface SessionListItem {
  publicId: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string;
}

/** The most a list shows (newest first); a person with more is told to sign out everywhere else. */
export const SESSIONS_SHOWN = 50;

export async function ownSessions(db: Queryable, auth: Auth, now: Date): Promise<SessionListItem[]> {
  return rows<SessionListItem>(
    db,
    sql`select public_id as "publicId", created_at as "createdAt", last_seen_at as "lastSeenAt", user_agent as "userAgent"
      from sessions where user_id = ${auth.user.id} and expires_at > ${now.toISOString()}
      order by last_seen_at desc, public_id limit ${SESSIONS_SHOWN}`,
  );
}

const audited = (auth: Auth, action: string, from: string) =>
  auditInsert(
    {
      orgId: auth.org.kind === 'customer' ? auth.org.id : null,
      actorUserId: auth.user.id,
      actorName: auth.user.name,
      action,
      targetType: 'user',
      targetId: auth.user.id,
      after: sql`json_build_object('name', ${auth.user.name}::text)`,
    },
    sql`(select 1 from ${sql.raw(from)} limit 1) g`,
  );

/** Ends one of the person's own sessions (another person's id changes nothing). True when one ended. */
export async function signOutSession(db: Queryable, auth: Auth, publicId: string): Promise<boolean> {
  const [row] = await rows<{ done: boolean }>(
    db,
    sql`with gone as (delete from sessions where public_id = ${publicId}::uuid and user_id = ${auth.user.id} returning 1),
      a as (${audited(auth, 'user.sessions.signed_out', 'gone')})
    select exists (select 1 from gone) as done`,
  );
  return row.done;
}

export async function signOutOtherSessions(db: Queryable, auth: Auth): Promise<void> {
  await db.execute(sql`with gone as (delete from sessions where user_id = ${auth.user.id} and id <> ${auth.sessionId} returning 1),
    a as (${audited(auth, 'user.sessions.signed_out_others', 'gone')})
    select 1`);
}

/** The person's own new password: the other sessions end (this one goes on), audited, in one statement. */
export async function changeOwnPassword(db: Queryable, auth: Auth, passwordHash: string): Promise<void> {
  await db.execute(sql`with changed as (update users set password_hash = ${passwordHash} where id = ${auth.user.id} and org_id = ${auth.org.id} returning id),
    others as (delete from sessions where user_id in (select id from changed) and id <> ${auth.sessionId}),
    a as (${audited(auth, 'user.password_changed', 'changed')})
    select 1`);
}
