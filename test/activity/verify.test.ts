import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  // Ten entries per request, so the 30-odd entries below take several (the page goes on from the last one).
  t = await createTestApp({ VERIFY_PAGE_ROWS: '10' });
  await t.db.execute(sql`insert into audit_log (org_id, partner_org_id, actor_name, action, target_type, target_id)
    select ${t.fx.contoso}, ${t.fx.northwind}, 'Agent ' || g, 'license.assigned', 'subscription', 'sub-' || g from generate_series(1, 30) g`);
});
afterAll(() => t?.close());

/** What someone holding the database could do: the append-only trigger set aside for one statement. */
async function behindTheAppsBack(statement: ReturnType<typeof sql>) {
  await t.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
  });
}

/** The Verify page followed link by link to its end, as a browser without JavaScript does: each request is one statement. */
async function verified(admin: Awaited<ReturnType<TestApp['signedIn']>>, headers: Record<string, string> = {}) {
  let res = await admin.get('/activity/verify', headers);
  for (let i = 0; i < 20; i++) {
    expect(res.status).toBe(200);
    expect(res.queries).toBe(1);
    const next = /href="(\/activity\/verify\?from=\d+)"/.exec(res.text);
    if (!next) return res;
    res = await admin.get(next[1], headers);
  }
  throw new Error('Verify did not end');
}

const count = async () => (await rows<{ n: number }>(t.db, sql`select count(*)::int as n from audit_log where org_id = ${t.fx.contoso}`))[0].n;

describe('Verify', () => {
  it('is linked from the activity log and says the chain is intact up to its last entry, with the head shown, in one statement', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    // As the bench's plain twin writes it too (test/bench/plain-activity.ts).
    expect((await admin.get('/activity')).text).toContain(
      '<a href="/activity.csv" download="">Download as CSV</a> <a href="/activity/verify">Verify that nothing was changed</a>',
    );
    const n = await count();
    expect((await admin.get('/activity/verify')).text).toContain('Checked 10 entries so far…');
    const page = await verified(admin);
    expect(page.text).toContain('<h1>Verify the activity log</h1>');
    expect(page.text).toMatch(new RegExp(`Intact: ${n} entries up to [^<]*2\\d{3}`));
    const [head] = await rows<{ hash: string; seq: number }>(t.db, sql`select hash, seq::int as seq from audit_chain_heads where org_id = ${t.fx.contoso}`);
    expect(head.seq).toBe(n);
    expect(page.text).toContain(`<code>${head.hash.match(/.{8}/g)!.join(' ')}</code>`);
    // The part htmx swaps (the continuation of a long check) is the same result section.
    const part = await verified(admin, { 'hx-request': 'true' });
    expect(part.text.startsWith('<section id="verify-result">')).toBe(true);
    expect(part.text).toContain(`Intact: ${n} entries`);
    expect((await admin.get('/activity/verify?from=x')).status).toBe(400);
  });

  it('speaks Polish and Chinese', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    await admin.post('/language', { locale: 'pl', back: '/activity/verify' });
    expect((await verified(admin)).text).toMatch(/Nienaruszony: \d+ wpis/);
    await admin.post('/language', { locale: 'zh', back: '/activity/verify' });
    expect((await verified(admin)).text).toMatch(/完整：截至 .* 共 \d+ 条记录，均未被更改。/);
    await admin.post('/language', { locale: 'en', back: '/activity/verify' });
  });

  it('the CSV carries each row’s hash, the newest being the head', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const lines = (await admin.get('/activity.csv')).text.trim().split('\r\n');
    expect(lines[0]).toMatch(/,Fingerprint \(SHA-256\)$/);
    const hashes = lines.slice(1).map((l) => l.split(',').pop());
    expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h!))).toBe(true);
    const [head] = await rows<{ hash: string }>(t.db, sql`select hash from audit_chain_heads where org_id = ${t.fx.contoso}`);
    expect(hashes[0]).toBe(head.hash);
  });

  it('names the entry a statement in SQL changed, and a removed last entry', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    await behindTheAppsBack(sql`update audit_log set actor_name = 'Someone else' where org_id = ${t.fx.contoso} and chain_seq = 7`);
    const page = await verified(admin);
    expect(page.text).toMatch(/Changed at entry 7 \([^)]*2\d{3}[^)]*\)\./);
    expect(page.text).toContain('no longer matches what partnerdesk wrote');
    await behindTheAppsBack(sql`update audit_log set actor_name = 'Agent 7' where org_id = ${t.fx.contoso} and chain_seq = 7`);
    expect((await verified(admin)).text).toContain('Intact: ');
    const n = await count();
    await behindTheAppsBack(sql`delete from audit_log where org_id = ${t.fx.contoso} and chain_seq = ${n}`);
    expect((await verified(admin)).text).toContain(`Changed at entry ${n} (`);
  });
});
