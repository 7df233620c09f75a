/**
 * E-mail verification after a self sign-up (decision 022). Until the link is followed, a session of
 * that account reaches only these pages, the development mailbox, the language switch and sign-out.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { errorPage } from '../http/middleware.tsx';
import { requireRole } from '../authorization/require-role.ts';
import { now, redirectWithFlash } from '../http/respond.ts';
import { form, query } from '../http/validate.ts';
import { verificationMail } from './mails.ts';
import { retryAfter } from './rate-limit.ts';
import { generateToken, hashToken } from './session.ts';
import { confirmEmail, resendVerification, VERIFY_TTL } from './verify.queries.ts';
import { SignUpSentPage, VerifyConfirmPage, VerifyPendingPage } from './verify.views.tsx';

export const RESEND_WINDOW = 60 * 60;
export const RESEND_LIMIT = 3;

const OPEN_TO_UNVERIFIED = new Set([
  '/verify-email',
  '/verify-email/confirm',
  '/verify-email/resend',
  '/signup/sent',
  '/signout',
  '/signin',
  '/dev/mailbox',
  '/language',
]);

/** Sends a signed-in but unverified person to the page that says so, from anywhere else. */
export const requireVerifiedEmail = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const auth = c.get('auth');
  if (auth && !auth.user.emailVerifiedAt && !OPEN_TO_UNVERIFIED.has(c.req.path)) return c.redirect('/verify-email', 303);
  await next();
};

const tokenShape = z
  .string()
  .regex(/^[a-z2-7]{1,64}$/)
  .catch('');

export const verifyRoutes = new Hono<AppEnv>()
  .get('/signup/sent', (c) => c.render(<SignUpSentPage />, { title: c.get('i18n').t('auth.signup.sent.title') }))
  .get('/verify-email', requireRole(), (c) => {
    const auth = c.get('auth')!;
    if (auth.user.emailVerifiedAt) return c.redirect('/', 303);
    return c.render(<VerifyPendingPage email={auth.user.email} />, { title: c.get('i18n').t('auth.verify.title') });
  })
  .post('/verify-email/resend', requireRole(), async (c) => {
    const auth = c.get('auth')!;
    if (auth.user.emailVerifiedAt) return c.redirect('/', 303);
    const { env, db } = c.get('deps');
    const i = c.get('i18n');
    const at = now(c);
    const token = generateToken();
    const expiresAt = new Date(at.getTime() + VERIFY_TTL);
    const rateKey = `verify:resend:${auth.user.id}`;
    const counters = await resendVerification(db, {
      userId: auth.user.id,
      rateKey,
      limit: RESEND_LIMIT,
      windowSeconds: RESEND_WINDOW,
      now: at,
      tokenHash: hashToken(token),
      expiresAt,
      mail: verificationMail(i, { to: auth.user.email, name: auth.user.name, url: `${env.PUBLIC_URL}/verify-email/confirm?token=${token}`, expiresAt }),
    });
    const wait = retryAfter(counters, { [rateKey]: RESEND_LIMIT }, RESEND_WINDOW, at);
    if (wait > 0) {
      c.status(429);
      c.header('retry-after', String(wait));
      const error = i.t('auth.verify.tooMany', { minutes: Math.ceil(wait / 60) });
      return c.render(<VerifyPendingPage email={auth.user.email} error={error} />, { title: i.t('auth.verify.title') });
    }
    return redirectWithFlash(c, '/verify-email', 'auth.verify.resent');
  })
  .get('/verify-email/confirm', query(z.object({ token: tokenShape })), (c) => {
    return c.render(<VerifyConfirmPage token={c.req.valid('query').token} />, { title: c.get('i18n').t('auth.verify.title') });
  })
  .post('/verify-email/confirm', form(z.object({ token: tokenShape })), async (c) => {
    const { token } = c.req.valid('form');
    const confirmed = token ? await confirmEmail(c.get('deps').db, hashToken(token), now(c)) : null;
    if (!confirmed) return errorPage(c, 410, 'auth.verify.bad.title', 'auth.verify.bad.body');
    if (c.get('auth')) return redirectWithFlash(c, '/', 'auth.verify.done');
    return redirectWithFlash(c, '/signin', 'auth.verify.doneSignIn');
  });
