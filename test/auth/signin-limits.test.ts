import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNIN_LIMIT_ACCOUNT, SIGNIN_LIMIT_PAIR } from '../../src/auth/signin-limits.ts';
import { DEMO_PASSWORD } from '../../src/seed/seed.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const later = (minutes: number) => {
  t.clock.now = new Date(t.clock.now.getTime() + minutes * 60_000);
};

describe('sign-in limits without a lockout', () => {
  it(`stops an address after ${SIGNIN_LIMIT_PAIR} wrong passwords for one account, even with the right one, for 15 minutes`, async () => {
    const attacker = t.client();
    const email = t.fx.emails.partnerAgent;
    for (let i = 0; i < SIGNIN_LIMIT_PAIR; i++) expect((await attacker.post('/signin', { email, password: `wrong-${i}` })).status).toBe(401);
    const blocked = await attacker.post('/signin', { email, password: DEMO_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Too many sign-in attempts. Try again in 15 min.');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    later(16);
    expect((await attacker.post('/signin', { email, password: DEMO_PASSWORD })).status).toBe(303);
    t.clock.now = new Date();
  });

  it('lets the owner in from another address after six wrong passwords, and more, from the attacker', async () => {
    const attacker = t.client();
    const email = t.fx.emails.billing;
    for (let i = 0; i < 6 + 60; i++) await attacker.post('/signin', { email, password: `guess-${i}` });
    expect((await attacker.post('/signin', { email, password: `guess-last` })).status).toBe(429);
    const owner = t.client();
    const res = await owner.post('/signin', { email, password: DEMO_PASSWORD });
    expect(res.status).toBe(303);
    expect((await owner.get('/')).status).toBe(200);
  });

  it(`slows a guess spread over many addresses to ${SIGNIN_LIMIT_ACCOUNT} an hour for the account`, async () => {
    const email = t.fx.emails.otherOrg;
    for (let i = 0; i < SIGNIN_LIMIT_ACCOUNT; i++) expect((await t.client().post('/signin', { email, password: `spread-${i}` })).status).toBe(401);
    const next = await t.client().post('/signin', { email, password: `spread-next` });
    expect(next.status).toBe(429);
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(15 * 60);
    later(61);
    expect((await t.client().post('/signin', { email, password: DEMO_PASSWORD })).status).toBe(303);
    t.clock.now = new Date();
  });

  it('does not count right passwords: people who sign in often are never stopped', async () => {
    const person = t.client();
    for (let i = 0; i < SIGNIN_LIMIT_PAIR + 3; i++)
      expect((await person.post('/signin', { email: t.fx.emails.user, password: DEMO_PASSWORD })).status).toBe(303);
  });

  it('costs at most three statements, the counters included', async () => {
    const res = await t.client().post('/signin', { email: t.fx.emails.global, password: DEMO_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.queries).toBeLessThanOrEqual(3);
  });
});
