import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.tsx';
import { loadAssets } from '../../src/assets/manifest.ts';
import * as s from '../../src/db/schema.ts';
import { parseEnv } from '../../src/env.ts';
import { enqueueMail } from '../../src/mail/outbox.ts';
import { deliverDue, MAX_ATTEMPTS, registerPeriodicJob, retryDelay, startMailWorker } from '../../src/mail/worker.ts';
import { linkForm, tokenFromMail } from '../invitations/helpers.ts';
import { Client, createTestApp, type TestApp } from '../support/app.ts';
import { startSmtp } from './smtp.ts';
import { DAY } from '../../src/time.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());
// Each test starts from an empty queue: the demo data and earlier tests leave nothing pending.
beforeEach(async () => {
  await t.db.update(s.outbox).set({ sentAt: new Date() });
});

/** Counts the worker's ticks; `until` resolves at the first tick after which `done()` holds (10 s at most). */
function tickCounter() {
  let ticks = 0;
  const waiting: { done: () => boolean; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiting]) {
      if (!w.done()) continue;
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  };
  return {
    onTick(n: number) {
      ticks = n;
      check();
    },
    count: () => ticks,
    until(done: () => boolean) {
      return new Promise<void>((resolve, reject) => {
        if (done()) return resolve();
        const timer = setTimeout(() => reject(new Error(`condition not met after ${ticks} ticks`)), 10_000);
        waiting.push({ done, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

/**
 * "Now" for a delivery run right after mail was written: a second later. The database keeps microseconds
 * and a JavaScript date only milliseconds, so a date taken in the same millisecond as the write could
 * fall just before the mail was due and find nothing to send (seen on PostgreSQL).
 */
const justAfter = () => new Date(Date.now() + 1000);

describe('mail delivery', () => {
  it('delivers a due mail through a real SMTP server and marks it sent, once', async () => {
    const smtp = await startSmtp();
    try {
      await enqueueMail(t.db, { to: 'zofia@example.com', subject: 'Zażółć gęślą jaźń', body: 'Line one\nLink: http://localhost:3000/authorize/abc' });
      const result = await deliverDue(t.db, smtp.transport(), justAfter());
      expect(result).toEqual({ sent: 1, failed: 0 });
      expect(smtp.inbox).toHaveLength(1);
      expect(smtp.inbox[0].to).toEqual(['zofia@example.com']);
      expect(smtp.inbox[0].subject).toBe('Zażółć gęślą jaźń');
      expect(smtp.inbox[0].text).toContain('Link: http://localhost:3000/authorize/abc');
      const [row] = await t.db.select().from(s.outbox).where(eq(s.outbox.toAddress, 'zofia@example.com'));
      expect(row.sentAt).not.toBeNull();
      expect(row.attempts).toBe(1);
      expect(await deliverDue(t.db, smtp.transport(), new Date(Date.now() + DAY))).toEqual({ sent: 0, failed: 0 });
      expect(smtp.inbox).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });

  it('a mail written while SMTP is down is not lost: it goes out once SMTP is back', async () => {
    // The address SMTP will listen on, closed for now.
    const probe = await startSmtp();
    const port = probe.port;
    await probe.close();
    const down = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 2000 });

    // The change: a partner creates an authorization link; its e-mail is written with it.
    const partner = await t.signedIn(t.fx.emails.partner);
    expect((await partner.post('/portal/links', linkForm({ email: 'waiting@example.com' }))).status).toBe(303);
    const start = justAfter();
    expect(await deliverDue(t.db, down, start)).toEqual({ sent: 0, failed: 1 });
    const [failed] = await t.db.select().from(s.outbox).where(eq(s.outbox.toAddress, 'waiting@example.com'));
    expect(failed.sentAt).toBeNull();
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(failed.sendAfter.getTime()).toBe(start.getTime() + retryDelay(1));

    const smtp = await startSmtp(port);
    try {
      // Not before its retry time…
      expect(await deliverDue(t.db, smtp.transport(), new Date(start.getTime() + 1000))).toEqual({ sent: 0, failed: 0 });
      // …then exactly once.
      expect(await deliverDue(t.db, smtp.transport(), new Date(start.getTime() + retryDelay(1)))).toEqual({ sent: 1, failed: 0 });
      expect(await deliverDue(t.db, smtp.transport(), new Date(start.getTime() + DAY))).toEqual({ sent: 0, failed: 0 });
      expect(smtp.inbox).toHaveLength(1);
      expect(smtp.inbox[0].subject).toBe('Northwind Traders asks to become your partner');
      const token = tokenFromMail(smtp.inbox[0].text);
      expect((await t.client().get(`/authorize/${token}`)).status).toBe(200);
      const [sent] = await t.db.select().from(s.outbox).where(eq(s.outbox.toAddress, 'waiting@example.com'));
      expect(sent).toMatchObject({ attempts: 2, lastError: null });
    } finally {
      await smtp.close();
    }
  });

  it('a permanently refused mail is given up after the last attempt and stays in the outbox, marked failed', async () => {
    await enqueueMail(t.db, { to: 'nobody@refused.example', subject: 'Never delivered', body: 'Refused every time.' });
    const refusing = { sendMail: () => Promise.reject(new Error('550 mailbox unavailable')) };
    let now = justAfter();
    const tries: number[] = [];
    for (let i = 0; i < MAX_ATTEMPTS + 3; i++) {
      tries.push((await deliverDue(t.db, refusing, now)).failed);
      now = new Date(now.getTime() + 7 * 60 * 60_000);
    }
    expect(tries.filter((n) => n === 1)).toHaveLength(MAX_ATTEMPTS);
    expect(tries.slice(MAX_ATTEMPTS)).toEqual([0, 0, 0]);
    const [row] = await t.db.select().from(s.outbox).where(eq(s.outbox.toAddress, 'nobody@refused.example'));
    expect(row).toMatchObject({ attempts: MAX_ATTEMPTS, sentAt: null, lastError: '550 mailbox unavailable' });
    expect(row.failedAt).not.toBeNull();
  });

  it('retries back off exponentially, capped at six hours', () => {
    expect([1, 2, 3, 4].map(retryDelay)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelay(30)).toBe(6 * 60 * 60_000);
  });

  it('the running worker delivers new mail and runs registered periodic jobs', async () => {
    const smtp = await startSmtp();
    const runs: Date[] = [];
    registerPeriodicJob({
      name: 'test-reminder',
      everyMs: 60_000,
      async run(db, now) {
        runs.push(now);
        await enqueueMail(db, { to: 'reminder@example.com', subject: 'Reminder', body: 'Once.', dedupeKey: 'test-reminder:1' });
      },
    });
    // The worker's clock stands still, so the minute-long job is due at the first tick only; waiting on
    // ticks (not on time) makes the test exact: after the delivery, two more ticks ran without it.
    // (a minute ahead, so the mail the job writes with the database's own now() is already due).
    const at = new Date(Date.now() + 60_000);
    const ticked = tickCounter();
    const stop = startMailWorker({ db: t.db, env: parseEnv({ SMTP_URL: smtp.url }), pollMs: 10, now: () => at, onTick: ticked.onTick });
    try {
      await ticked.until(() => smtp.inbox.length >= 1);
      const seen = ticked.count();
      await ticked.until(() => ticked.count() >= seen + 2);
    } finally {
      await stop();
      await smtp.close();
    }
    expect(runs).toHaveLength(1);
    expect(smtp.inbox.map((m) => m.to[0])).toEqual(['reminder@example.com']);
  });

  it('without SMTP_URL nothing is sent and nothing is marked failed', async () => {
    await enqueueMail(t.db, { to: 'dev@example.com', subject: 'Kept', body: 'For the mailbox.' });
    const ticked = tickCounter();
    const stop = startMailWorker({ db: t.db, env: parseEnv({}), pollMs: 10, onTick: ticked.onTick });
    await ticked.until(() => ticked.count() >= 3);
    await stop();
    const [row] = await t.db.select().from(s.outbox).where(eq(s.outbox.toAddress, 'dev@example.com'));
    expect(row).toMatchObject({ sentAt: null, attempts: 0, lastError: null });
  });
});

describe('the development mailbox', () => {
  it('lists what would have been sent to the signed-in person, and to no one else', async () => {
    await enqueueMail(t.db, { to: t.fx.emails.global, subject: 'Shown in the mailbox', body: 'Hello from the outbox.' });
    const res = await (await t.signedIn(t.fx.emails.global)).get('/dev/mailbox');
    expect(res.status).toBe(200);
    expect((await (await t.signedIn(t.fx.emails.user)).get('/dev/mailbox')).text).not.toContain('Shown in the mailbox');
    expect(res.text).toContain('Shown in the mailbox');
    expect(res.text).toContain('Hello from the outbox.');
    expect(res.queries).toBeLessThanOrEqual(3);
    expect((await t.client().get('/dev/mailbox')).status).toBe(303);
  });

  it('does not exist when SMTP_URL is set or in production', async () => {
    for (const env of [{ NODE_ENV: 'test', SMTP_URL: 'smtp://127.0.0.1:2525' }, { NODE_ENV: 'production' }]) {
      const app = createApp({ db: t.db, env: parseEnv(env), assets: loadAssets() });
      const c = new Client(app);
      await c.post('/signin', { email: t.fx.emails.global, password: 'partnerdesk-demo' });
      expect((await c.get('/dev/mailbox')).status).toBe(404);
    }
  });
});

describe.runIf(process.env.DATABASE_URL)('on PostgreSQL, several instances', () => {
  it('never send one mail twice', async () => {
    const smtp = await startSmtp();
    try {
      await enqueueMail(t.db, ...Array.from({ length: 30 }, (_, i) => ({ to: `many-${i}@example.com`, subject: `Mail ${i}`, body: 'x' })));
      const now = justAfter();
      const results = await Promise.all(Array.from({ length: 4 }, () => deliverDue(t.db, smtp.transport(), now)));
      const again = await Promise.all(Array.from({ length: 4 }, () => deliverDue(t.db, smtp.transport(), now)));
      const sent = [...results, ...again].reduce((n, r) => n + r.sent, 0);
      expect(sent).toBe(30);
      const recipients = smtp.inbox.map((m) => m.to[0]);
      expect(recipients).toHaveLength(30);
      expect(new Set(recipients).size).toBe(30);
    } finally {
      await smtp.close();
    }
  });
});
