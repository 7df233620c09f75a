/**
 * Just-in-time elevation in a real browser, as people do it (issue 24): a partner person asks for
 * Passwords for 2 h with a reason, the customer's global admin approves from the mail in the development
 * mailbox, the partner resets a password, and the activity log names the person and the elevation.
 * JavaScript on in English, off in Polish (partner) and Chinese (customer).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { i18n } from '../../src/i18n/index.ts';
import type { Locale } from '../../src/i18n/locales.ts';
import { shows, startE2E, type E2E } from './browser.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

const ways = [
  { name: 'with JavaScript, in English', js: true, partnerLocale: 'en', adminLocale: 'en' },
  { name: 'without JavaScript, in Polish and Chinese', js: false, partnerLocale: 'pl', adminLocale: 'zh' },
] as const satisfies { name: string; js: boolean; partnerLocale: Locale; adminLocale: Locale }[];

describe.each(ways)('elevation in a browser $name', ({ js, partnerLocale, adminLocale }) => {
  it('asks, is approved from the mail, acts under it, and the log names the person and the elevation', async () => {
    const { fx } = e.t;
    const tp = i18n(partnerLocale).t;
    const ta = i18n(adminLocale).t;
    await e.t.db.execute(sql`delete from elevations`);
    await e.t.db.execute(sql`update partner_relationships set roles = '{users}', eligible = '{"passwords": 2}', approval_required = true
      where id = ${fx.contosoDelegatedAdmin}`);
    await e.t.db.execute(sql`update users set locale = ${partnerLocale} where email = ${fx.emails.partner}`);
    await e.t.db.execute(sql`update users set locale = ${adminLocale} where email = ${fx.emails.global}`);

    const partner = await e.page({ js, locale: partnerLocale });
    await e.signIn(partner, fx.emails.partner);
    await partner.goto('/portal');
    await partner.getByRole('link', { name: tp('elev.linkOf', { customer: 'Contoso Sp. z o.o.' }) }).click();
    await shows(partner.getByRole('heading', { name: tp('elev.title', { customer: 'Contoso Sp. z o.o.' }) }));
    await partner.getByLabel(tp('elev.duration')).selectOption('2');
    await partner.getByLabel(tp('elev.reason'), { exact: true }).fill('User locked out');
    await partner.getByLabel(tp('elev.ticket')).fill('4711');
    await partner.getByRole('button', { name: tp('elev.submit') }).click();
    await shows(partner.getByText(tp('elev.requested.flash')));
    await shows(partner.getByText(tp('elev.state.pending')));

    const admin = await e.page({ js, locale: adminLocale });
    await e.signIn(admin, fx.emails.global);
    await admin.goto('/dev/mailbox');
    // The mail's link (the server's public address differs from this test server's: go to its path).
    const link = await admin
      .getByRole('link', { name: /\/elevations\// })
      .first()
      .textContent();
    await admin.goto(new URL(link!).pathname);
    await shows(admin.getByRole('heading', { name: ta('elev.decide.title') }));
    await shows(admin.getByText(ta('elev.decide.reason', { reason: 'User locked out' })));
    await admin.getByRole('button', { name: ta('elev.approve') }).click();
    await shows(admin.getByText(ta('elev.approved.flash')));

    await partner.goto(`/portal/customers/${fx.contoso}/users/${fx.contosoUser}`);
    await partner.getByLabel(tp('users.password.label')).fill('a-new-password-1');
    await partner.getByRole('button', { name: tp('users.password.submit') }).click();
    await shows(partner.getByText(tp('users.password.done')));

    await admin.goto('/activity');
    await shows(admin.getByText(/Nadia Partner.*4711/));
    await partner.context().close();
    await admin.context().close();
  });
});
