/** The authorization page, the target of a partner's link: see the request, sign in, authorize. */
import { Hono, type Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { retryAfter } from '../auth/rate-limit.ts';
import { hashToken } from '../auth/session.ts';
import { currencyFor } from '../catalog/currencies.ts';
import type { AppEnv } from '../context.ts';
import { errorPage } from '../http/middleware.tsx';
import { isPartial, now, redirectWithFlash } from '../http/respond.ts';
import { form } from '../http/validate.ts';
import { respond } from '../ui/fragment.tsx';
import { AuthorizedSection, AuthorizeSection, type AuthorizeState } from './authorize.views.tsx';
import { acceptLink } from './accept.queries.ts';
import { findLinkForRedemption, type Redeemable } from './invitations.queries.ts';
import { accepterProblem, offerAvailable, redemptionProblem } from './invitations.rules.ts';
import { acceptedMails } from './mails.ts';

/** Failed link openings (unknown, used, revoked, expired) per address per 15 minutes: too few to guess tokens; good links never count. */
export const REDEEM_WINDOW = 15 * 60;
export const REDEEM_LIMIT = 60;

const answerForm = z.object({
  step: z.enum(['1', '2']).default('1'),
  delegatedAdmin: z.string().default(''),
  takeOffer: z.string().optional(),
});

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

type Checked = { link: Redeemable; done: boolean; response?: undefined } | { response: Response | Promise<Response> };

/**
 * Counts the attempt, finds the link and decides whether this caller may go on. Bad links answer with
 * their page (404 unknown; 410 used, revoked, expired) before anything about the caller is looked at.
 */
async function checkLink(c: Context<AppEnv>): Promise<Checked> {
  const token = c.req.param('token') ?? '';
  const at = now(c);
  const key = `authorize:address:${clientAddress(c)}`;
  const auth = c.get('auth');
  const rate = { key, windowSeconds: REDEEM_WINDOW, callerOrgId: auth?.org.id ?? null };
  const currency = auth ? currencyFor(auth.org.country) : null;
  const { counters, link } = await findLinkForRedemption(c.get('deps').db, hashToken(token.slice(0, 64)), rate, at, currency);
  const wait = retryAfter(counters, { [key]: REDEEM_LIMIT }, REDEEM_WINDOW, at);
  if (wait > 0) {
    c.header('retry-after', String(wait));
    return { response: errorPage(c, 429, 'authorize.error.tooMany.title', 'authorize.error.tooMany.body') };
  }
  if (link?.acceptedAt && auth && link.acceptedOrgId === auth.org.id) return { link, done: true };
  const problem = redemptionProblem(link, at);
  if (problem === 'unknown') return { response: errorPage(c, 404, 'authorize.error.unknown.title', 'authorize.error.unknown.body') };
  if (problem === 'used') return { response: errorPage(c, 410, 'authorize.error.used.title', 'authorize.error.used.body') };
  if (problem === 'revoked') return { response: errorPage(c, 410, 'authorize.error.revoked.title', 'authorize.error.revoked.body') };
  if (problem === 'expired') return { response: errorPage(c, 410, 'authorize.error.expired.title', 'authorize.error.expired.body') };
  if (auth) {
    const who = accepterProblem(auth.user, auth.org.kind, link!);
    if (who === 'role') return { response: errorPage(c, 403, 'authorize.error.role.title', 'authorize.error.role.body') };
    if (who === 'email') return { response: errorPage(c, 403, 'authorize.error.otherEmail.title', 'authorize.error.otherEmail.body') };
  }
  return { link: link!, done: false };
}

function show(c: Context<AppEnv>, link: Redeemable, state: AuthorizeState, status: 200 | 422 = 200) {
  return respond(c, { part: <AuthorizeSection link={link} state={state} />, title: c.get('i18n').t('authorize.title', { partner: link.partnerName }), status });
}

function showDone(c: Context<AppEnv>, link: Redeemable) {
  return respond(c, { part: <AuthorizedSection link={link} />, title: c.get('i18n').t('authorize.done.title', { partner: link.partnerName }) });
}

export const authorizeRoutes = new Hono<AppEnv>()
  .get('/authorize/:token', async (c) => {
    const checked = await checkLink(c);
    if (checked.response) return checked.response;
    const { link, done } = checked;
    if (done) return showDone(c, link);
    const auth = c.get('auth');
    if (!auth) return show(c, link, { kind: 'signedOut', next: c.req.path });
    return show(c, link, { kind: 'step', link, action: c.req.path, step: 1, country: auth.org.country });
  })
  .post('/authorize/:token', form(answerForm), async (c) => {
    const auth = c.get('auth');
    if (!auth) return c.redirect(`/signin?next=${encodeURIComponent(c.req.path)}`, 303);
    const checked = await checkLink(c);
    if (checked.response) return checked.response;
    const { link, done } = checked;
    if (done) return showDone(c, link);
    const answer = c.req.valid('form');
    const i = c.get('i18n');
    const base = { kind: 'step', link, action: c.req.path, country: auth.org.country, delegatedAdmin: answer.delegatedAdmin } as const;
    if (link.offersDelegatedAdmin && answer.delegatedAdmin !== 'yes' && answer.delegatedAdmin !== 'no') {
      return show(c, link, { ...base, step: 1, error: i.t('authorize.error.chooseYesNo') }, 422);
    }
    const hasOffer = !!link.offerKind && !!link.product;
    if (answer.step === '1' && hasOffer) return show(c, link, { ...base, step: 2 });
    const grant = link.offersDelegatedAdmin && answer.delegatedAdmin === 'yes';
    const takeOffer = answer.step === '2' && answer.takeOffer === 'yes' && offerAvailable(link, auth.org.country);
    if (!grant && !link.offersReseller && !takeOffer) {
      return show(c, link, { ...base, step: answer.step === '2' ? 2 : 1, error: i.t('authorize.error.nothing') }, 422);
    }
    const { env } = c.get('deps');
    const accepted = await acceptLink(c.get('deps').db, {
      linkId: link.id,
      partnerOrgId: link.partnerOrgId,
      orgId: auth.org.id,
      orgCountry: auth.org.country,
      user: { id: auth.user.id, name: auth.user.name, email: auth.user.email },
      grantDelegatedAdmin: grant,
      takeOffer,
      now: now(c),
      mails: acceptedMails({
        fallback: i.locale,
        customerEmail: auth.user.email,
        partnerEmail: link.creatorEmail,
        partnerOrgId: link.partnerOrgId,
        customerName: auth.org.name,
        partnerName: link.partnerName,
        granted: {
          offersDelegatedAdmin: grant,
          roles: link.roles,
          eligible: link.eligible,
          durationDays: link.durationDays,
          offersReseller: link.offersReseller,
          offerKind: takeOffer ? link.offerKind : null,
          offerQuantity: link.offerQuantity,
          productId: link.product?.id ?? null,
          productName: link.product?.name ?? null,
        },
        relationshipsUrl: `${env.PUBLIC_URL}/settings/partner-relationships`,
        portalUrl: `${env.PUBLIC_URL}/portal`,
      }),
    });
    // Another request (a double click, a second tab) used the link between our read and our write.
    if (!accepted) return errorPage(c, 409, 'authorize.error.race.title', 'authorize.error.race.body');
    if (isPartial(c)) return showDone(c, link);
    return redirectWithFlash(c, c.req.path, 'authorize.accepted');
  });
