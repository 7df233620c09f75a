import { Hono } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { isCountryCode } from '../catalog/countries.ts';
import type { AppEnv } from '../context.ts';
import { form } from '../http/validate.ts';
import { now, safeNext } from '../http/respond.ts';
import { countAttemptAndFindUser, signUpAccount } from './auth.queries.ts';
import { SignInPage, SignUpPage } from './auth.views.tsx';
import { clearSessionCookie, sessionToken, setSessionCookie } from './cookie.ts';
import { signUpTakenMail, verificationMail } from './mails.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { createSession, generateToken, hashToken, invalidateSession } from './session.ts';
import { signInKeys, signInWait } from './signin-limits.ts';
import { VERIFY_TTL } from './verify.queries.ts';

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

export function clientAddress(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The token of the authorization link a sign-up came from (its `next`), if any. */
function authorizationToken(next: string): string | null {
  return /^\/authorize\/([A-Za-z0-9_-]{1,64})$/.exec(next)?.[1] ?? null;
}

export const authRoutes = new Hono<AppEnv>()
  .get('/signin', (c) => {
    const next = safeNext(c.req.query('next'));
    if (c.get('auth')) return c.redirect(next, 303);
    return c.render(<SignInPage values={{ next }} />, { title: c.get('i18n').t('auth.signin.title') });
  })
  .post('/signin', form(signInForm), async (c) => {
    const { email, password } = c.req.valid('form');
    const next = safeNext(c.req.valid('form').next);
    const { t } = c.get('i18n');
    const at = now(c);
    const keys = signInKeys(email, clientAddress(c));
    const { counters, user } = await countAttemptAndFindUser(c.get('deps').db, email, keys, at);
    const wait = signInWait(keys, counters, at);
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
    // Only the right password learns that the account exists and is disabled (a wrong one gets the answer above).
    if (user.disabled) {
      c.status(403);
      return render(t('auth.signin.disabled', { org: user.orgName }));
    }
    // With two-step sign-in on, the password opens only the second step (the Lucia guide's partial session);
    // its counters are settled, and the sign-in audited, when the second step is done (src/two-step/).
    const session = (await createSession(c.get('deps').db, {
      userId: user.id,
      replacesToken: sessionToken(c),
      now: at,
      rateLimits: user.twoStepOn ? undefined : { clear: keys.pair, refund: [keys.address, keys.account] },
      audit: user.twoStepOn ? null : { orgId: user.orgKind === 'customer' ? user.orgId : null, actorName: user.name, action: 'user.signed_in' },
      twoStepVerified: !user.twoStepOn,
      userAgent: c.req.header('user-agent'),
    }))!;
    setSessionCookie(c, session.token, session.expiresAt);
    if (user.twoStepOn) return c.redirect(next === '/' ? '/signin/two-step' : `/signin/two-step?next=${encodeURIComponent(next)}`, 303);
    if (!user.verified) return c.redirect('/verify-email', 303);
    const partner = user.role === 'partner_admin' || user.role === 'partner_agent';
    return c.redirect(next === '/' && partner ? '/portal' : next, 303);
  })
  .get('/signup', (c) => {
    if (c.get('auth')) return c.redirect('/', 303);
    return c.render(<SignUpPage values={{ next: safeNext(c.req.query('next')) }} />, { title: c.get('i18n').t('auth.signup.title') });
  })
  .post('/signup', form(signUpForm), async (c) => {
    const values = c.req.valid('form');
    const next = safeNext(values.next);
    const i = c.get('i18n');
    const { t } = i;
    const errors: Record<string, string> = {};
    if (values.orgName.length < 2 || values.orgName.length > 120) errors.orgName = t('auth.error.orgName');
    if (!isCountryCode(values.country)) errors.country = t('auth.error.country');
    if (values.name.length < 1 || values.name.length > 120) errors.name = t('auth.error.name');
    if (!z.email().safeParse(values.email).success || values.email.length > 254) errors.email = t('auth.error.email');
    if (values.password.length < 10 || values.password.length > 200) errors.password = t('auth.error.password');
    if (Object.keys(errors).length > 0) {
      c.status(422);
      return c.render(<SignUpPage values={{ ...values, next }} errors={errors} />, { title: t('auth.signup.title') });
    }
    const { db, env } = c.get('deps');
    const at = now(c);
    const token = generateToken();
    const expiresAt = new Date(at.getTime() + VERIFY_TTL);
    const linkToken = authorizationToken(next);
    // The same work whether the address is taken or not (the hash is the slow part), so neither the
    // answer nor its timing tells whether someone has an account here (decision 022).
    const account = await signUpAccount(db, {
      ...values,
      passwordHash: await hashPassword(values.password),
      locale: i.locale,
      domainSuffix: env.DOMAIN_SUFFIX,
      linkTokenHash: linkToken ? hashToken(linkToken) : null,
      verification: {
        tokenHash: hashToken(token),
        expiresAt,
        mail: verificationMail(i, { to: values.email, name: values.name, url: `${env.PUBLIC_URL}/verify-email/confirm?token=${token}`, expiresAt }),
      },
      takenMail: signUpTakenMail(i, { to: values.email, signInUrl: `${env.PUBLIC_URL}/signin`, now: at }),
      now: at,
    });
    if (!account?.verified) return c.redirect('/signup/sent', 303);
    // Came from an authorization link addressed to this e-mail: the address is proven, go straight on.
    const session = (await createSession(db, {
      userId: account.userId,
      replacesToken: sessionToken(c),
      now: at,
      audit: { orgId: account.orgId, actorName: values.name, action: 'user.signed_in' },
      twoStepVerified: true,
      userAgent: c.req.header('user-agent'),
    }))!;
    setSessionCookie(c, session.token, session.expiresAt);
    return c.redirect(next, 303);
  })
  .post('/signout', async (c) => {
    const auth = c.get('auth');
    if (auth) await invalidateSession(c.get('deps').db, auth.sessionId);
    clearSessionCookie(c);
    return c.redirect('/signin', 303);
  });
