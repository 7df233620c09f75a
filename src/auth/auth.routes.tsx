import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { isCountryCode } from '../catalog/countries.ts';
import type { AppEnv } from '../context.ts';
import { form } from '../http/validate.ts';
import { now, safeLocalPath } from '../http/respond.ts';
import { countAttemptAndFindUser, createCustomerAccount, EmailTakenError } from './auth.queries.ts';
import { SignInPage, SignUpPage } from './auth.views.tsx';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from './cookie.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { retryAfter } from './rate-limit.ts';
import './cleanup.ts';
import { createSession, invalidateSession } from './session.ts';

/** Sign-in attempts per 15 minutes: per account (counts until a success) and per address. */
export const SIGNIN_WINDOW = 15 * 60;
export const SIGNIN_LIMIT_ACCOUNT = 5;
export const SIGNIN_LIMIT_ADDRESS = 50;

const signInForm = z.object({
  email: z.string().trim().default(''),
  password: z.string().default(''),
  next: z.string().optional(),
});

const signUpForm = z.object({
  orgName: z.string().trim().default(''),
  country: z.string().default(''),
  name: z.string().trim().default(''),
  email: z.string().trim().default(''),
  password: z.string().default(''),
  next: z.string().optional(),
});

function clientAddress(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export const authRoutes = new Hono<AppEnv>()
  .get('/signin', (c) => {
    const next = safeLocalPath(c.req.query('next'));
    if (c.get('auth')) return c.redirect(next, 303);
    return c.render(<SignInPage values={{ next }} />, { title: c.get('i18n').t('auth.signin.title') });
  })
  .post('/signin', form(signInForm), async (c) => {
    const { email, password } = c.req.valid('form');
    const next = safeLocalPath(c.req.valid('form').next);
    const { t } = c.get('i18n');
    const at = now(c);
    const accountKey = `signin:account:${email.toLowerCase()}`;
    const addressKey = `signin:address:${clientAddress(c)}`;
    const { counters, user } = await countAttemptAndFindUser(c.get('deps').db, email, [accountKey, addressKey], SIGNIN_WINDOW, at);
    const wait = retryAfter(counters, { [accountKey]: SIGNIN_LIMIT_ACCOUNT, [addressKey]: SIGNIN_LIMIT_ADDRESS }, SIGNIN_WINDOW, at);
    const render = (error: string) => c.render(<SignInPage values={{ email, next }} error={error} />, { title: t('auth.signin.title') });
    if (wait > 0) {
      c.status(429);
      c.header('retry-after', String(wait));
      return render(t('auth.signin.locked', { minutes: Math.ceil(wait / 60) }));
    }
    if (!(await verifyPassword(user?.passwordHash ?? null, password)) || !user) {
      c.status(401);
      return render(t('auth.signin.invalid'));
    }
    const session = await createSession(c.get('deps').db, {
      userId: user.id,
      replacesToken: getCookie(c, SESSION_COOKIE),
      now: at,
      rateLimitKey: accountKey,
      audit: { orgId: user.orgKind === 'customer' ? user.orgId : null, actorName: user.name, action: 'user.signed_in' },
    });
    setSessionCookie(c, session.token, session.expiresAt);
    const partner = user.role === 'partner_admin' || user.role === 'partner_agent';
    return c.redirect(next === '/' && partner ? '/portal' : next, 303);
  })
  .get('/signup', (c) => {
    if (c.get('auth')) return c.redirect('/', 303);
    return c.render(<SignUpPage values={{ next: safeLocalPath(c.req.query('next')) }} />, { title: c.get('i18n').t('auth.signup.title') });
  })
  .post('/signup', form(signUpForm), async (c) => {
    const values = c.req.valid('form');
    const next = safeLocalPath(values.next);
    const { t } = c.get('i18n');
    const errors: Record<string, string> = {};
    if (values.orgName.length < 2 || values.orgName.length > 120) errors.orgName = t('auth.error.orgName');
    if (!isCountryCode(values.country)) errors.country = t('auth.error.country');
    if (values.name.length < 1 || values.name.length > 120) errors.name = t('auth.error.name');
    if (!z.email().safeParse(values.email).success || values.email.length > 254) errors.email = t('auth.error.email');
    if (values.password.length < 10 || values.password.length > 200) errors.password = t('auth.error.password');
    const render = () => c.render(<SignUpPage values={{ ...values, next }} errors={errors} />, { title: t('auth.signup.title') });
    if (Object.keys(errors).length > 0) {
      c.status(422);
      return render();
    }
    const db = c.get('deps').db;
    try {
      const account = await createCustomerAccount(db, { ...values, passwordHash: await hashPassword(values.password), domainSuffix: c.get('deps').env.DOMAIN_SUFFIX });
      const session = await createSession(db, {
        userId: account.userId,
        replacesToken: getCookie(c, SESSION_COOKIE),
        now: now(c),
        audit: { orgId: account.orgId, actorName: values.name, action: 'user.signed_in' },
      });
      setSessionCookie(c, session.token, session.expiresAt);
      return c.redirect(next, 303);
    } catch (e) {
      if (!(e instanceof EmailTakenError)) throw e;
      errors.email = t('auth.error.emailTaken');
      c.status(409);
      return render();
    }
  })
  .post('/signout', async (c) => {
    const auth = c.get('auth');
    if (auth) await invalidateSession(c.get('deps').db, auth.sessionId);
    clearSessionCookie(c);
    return c.redirect('/signin', 303);
  });
