/**
 * Two-step sign-in (docs/decisions/106), the Lucia guide's pattern: a password opens a partial session
 * (`twoStepVerified` false) that reaches only the second step; a code from the authenticator app, a
 * recovery code or a passkey makes it full, rotating the session as a password sign-in does.
 */
import { Hono, type Context } from 'hono';
import type { SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { clientAddress } from '../auth/auth.routes.tsx';
import { sessionToken, setSessionCookie } from '../auth/cookie.ts';
import { createSession } from '../auth/session.ts';
import { signInKeys, signInWait } from '../auth/signin-limits.ts';
import { notFound } from '../http/middleware.tsx';
import { requireRole } from '../authorization/require-role.ts';
import { now, redirectWithFlash, safeNext } from '../http/respond.ts';
import { form } from '../http/validate.ts';
import type { I18n } from '../i18n/index.ts';
import { localizedMail } from '../mail/outbox.ts';
import {
  acceptedStep,
  codeAt,
  keyFromHex,
  keyHex,
  keyText,
  keyUri,
  newRecoveryCodes,
  newTotpKey,
  readCode,
  reusedCode,
  timeStep,
  type TypedCode,
} from './codes.ts';
import { isAdmin } from './gate.tsx';
import { qrSvg } from './qr.ts';
import {
  base64,
  CHALLENGE_TTL,
  challengeHash,
  encodeBase64,
  newChallenge,
  PASSKEY_SCRIPT,
  PASSKEY_SCRIPT_VERSION,
  verifyAssertion,
  verifyRegistration,
  type RelyingParty,
} from './passkeys.ts';
import {
  addPasskey,
  countSecondStep,
  hasPasskeys,
  passkeyOf,
  removePasskey,
  saveChallenge,
  spendChallenge,
  disableOwnTwoStep,
  enableTwoStep,
  replaceRecoveryCodes,
  resetTarget,
  resetTwoStep,
  setPolicy,
  spendRecoveryCode,
  spendTimeStep,
  touchPasskey,
  twoStepState,
} from './two-step.queries.ts';
import { PolicyPage, RecoveryCodesPage, SecondStepPage, TwoStepPage, type SetUp } from './two-step.views.tsx';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

function setUpFor(c: Context<AppEnv>, hex?: string): SetUp {
  const key = (hex && keyFromHex(hex)) || newTotpKey();
  return { keyHex: keyHex(key), keyText: keyText(key), qr: qrSvg(keyUri(key, c.get('auth')!.user.email), c.get('i18n').t('twostep.setup.qr')) };
}

/** The message for a typed code that is not a code at all (nothing counted: no guess was made). */
function shapeError(i: I18n, typed: TypedCode): string | null {
  if (typed.kind === 'empty') return i.t('twostep.error.empty');
  if (typed.kind === 'letters') return i.t('twostep.error.letters');
  if (typed.kind === 'digits') return i.t('twostep.error.digits');
  return null;
}

/**
 * The code check both the sign-in's second step and turning two-step sign-in off make: a code that is
 * not a code is refused uncounted; otherwise the attempt counts toward the sign-in limits (one
 * statement, which also reads the key, the last time step and whether a typed recovery code is unspent),
 * then the app's code or the recovery code is verified. On success, the guard that spends it, for the
 * caller's own write (the new session, or turning it off) to run in the same statement.
 * `withoutKey`: what a person without an app key gets ('refuse': `null`, the caller decides; 'recovery':
 * the typed code is checked as a recovery code).
 */
async function checkSecondStep(
  c: Context<AppEnv>,
  user: { id: string; email: string },
  code: string,
  withoutKey: 'refuse' | 'recovery',
): Promise<
  | { ok: true; spend: SQL; kind: 'totp' | 'recovery'; keys: ReturnType<typeof signInKeys>; at: Date }
  | { ok: false; error: string; status: 401 | 422 | 429 }
  | null
> {
  const i = c.get('i18n');
  const typed = readCode(code);
  const shape = shapeError(i, typed);
  if (shape) return { ok: false, error: shape, status: 422 };
  const at = now(c);
  const keys = signInKeys(user.email, clientAddress(c));
  const recovery = typed.kind === 'recovery' ? typed.code : null;
  const state = await countSecondStep(c.get('deps').db, user.id, keys, at, recovery);
  const wait = signInWait(keys, state.counters, at);
  if (wait > 0) {
    c.header('retry-after', String(wait));
    return { ok: false, error: i.t('auth.signin.locked', { minutes: Math.ceil(wait / 60) }), status: 429 };
  }
  const key = keyFromHex(state.totpKey ?? '');
  if (!key && withoutKey === 'refuse') return null;
  if (typed.kind === 'totp' && key) {
    const step = acceptedStep(key, typed.code, at, state.lastTimeStep);
    if (step === null)
      return { ok: false, error: i.t(reusedCode(key, typed.code, at, state.lastTimeStep) ? 'twostep.error.reused' : 'twostep.error.wrong'), status: 401 };
    return { ok: true, spend: spendTimeStep(user.id, step), kind: 'totp', keys, at };
  }
  if (!state.recoveryFound) return { ok: false, error: i.t('twostep.error.recovery'), status: 401 };
  return { ok: true, spend: spendRecoveryCode(user.id, recovery!, at), kind: 'recovery', keys, at };
}

/** Whether the person may turn their own two-step sign-in off: not when their organization requires it of them. */
const mayTurnOff = (c: Context<AppEnv>) => {
  const auth = c.get('auth')!;
  return !(auth.org.kind === 'customer' && auth.twoStep.required && isAdmin(auth));
};

async function renderTwoStepPage(c: Context<AppEnv>, errors?: { setup?: string; off?: string; name?: string }, keyHex?: string) {
  const auth = c.get('auth')!;
  const state = await twoStepState(c.get('deps').db, auth.user.id);
  const i = c.get('i18n');
  // Sent here by the policy: say why.
  const notice = !auth.twoStep.on && auth.org.kind === 'customer' && auth.twoStep.required && isAdmin(auth) ? i.t('twostep.required.admin') : undefined;
  if (errors) c.status(422);
  return c.render(<TwoStepPage state={state} setUp={setUpFor(c, keyHex)} errors={errors} mayTurnOff={mayTurnOff(c)} notice={notice} />, {
    title: i.t('twostep.title'),
  });
}

const codeForm = z.object({ code: z.string().max(200).default(''), next: z.string().optional() });

export const twoStepRoutes = new Hono<AppEnv>()
  // ── The second step of signing in ──
  .get('/signin/two-step', async (c) => {
    const auth = c.get('auth');
    const next = safeNext(c.req.query('next'));
    if (!auth) return c.redirect('/signin', 303);
    if (!auth.twoStep.on || auth.twoStep.verified) return c.redirect(next, 303);
    const passkeys = await hasPasskeys(c.get('deps').db, auth.user.id);
    return c.render(<SecondStepPage next={next} passkeys={passkeys} />, { title: c.get('i18n').t('twostep.signin.title') });
  })
  .post('/signin/two-step', form(codeForm), async (c) => {
    const auth = c.get('auth');
    const { code } = c.req.valid('form');
    const next = safeNext(c.req.valid('form').next);
    if (!auth) return c.redirect('/signin', 303);
    if (!auth.twoStep.on || auth.twoStep.verified) return c.redirect(next, 303);
    const i = c.get('i18n');
    const render = (error: string, status: 401 | 422 | 429) => {
      c.status(status);
      // A person with passkeys may use one instead: the button is offered again (the page re-renders, one statement less than a lookup).
      return c.render(<SecondStepPage next={next} passkeys={true} error={error} />, { title: i.t('twostep.signin.title') });
    };
    const checked = await checkSecondStep(c, auth.user, code, 'refuse');
    if (!checked) return c.redirect('/signin', 303);
    if (!checked.ok) return render(checked.error, checked.status);
    const { keys, at } = checked;
    const session = await createSession(c.get('deps').db, {
      userId: auth.user.id,
      replacesToken: sessionToken(c),
      now: at,
      rateLimits: { clear: keys.pair, refund: [keys.address, keys.account] },
      audit: { orgId: auth.org.kind === 'customer' ? auth.org.id : null, actorName: auth.user.name, action: 'user.signed_in' },
      twoStepVerified: true,
      userAgent: c.req.header('user-agent'),
      guard: checked.spend,
    });
    // Spent meanwhile by another request with the same code: a reuse.
    if (!session) return render(i.t(checked.kind === 'totp' ? 'twostep.error.reused' : 'twostep.error.recovery'), 401);
    setSessionCookie(c, session.token, session.expiresAt);
    return c.redirect(afterSignIn(c, next), 303);
  })

  .post('/signin/two-step/passkey/options', async (c) => {
    const auth = c.get('auth');
    if (!auth || !auth.twoStep.on || auth.twoStep.verified) return c.json({ error: 'no second step' }, 409);
    return challengeJson(c);
  })
  .post(
    '/signin/two-step/passkey',
    form(
      z.object({
        credentialId: z.string().max(2000).default(''),
        authenticatorData: z.string().max(20000).default(''),
        clientData: z.string().max(20000).default(''),
        signature: z.string().max(20000).default(''),
        next: z.string().optional(),
      }),
    ),
    async (c) => {
      const auth = c.get('auth');
      const values = c.req.valid('form');
      const next = safeNext(values.next);
      if (!auth) return c.redirect('/signin', 303);
      if (!auth.twoStep.on || auth.twoStep.verified) return c.redirect(next, 303);
      const i = c.get('i18n');
      const db = c.get('deps').db;
      const at = now(c);
      const failed = () => {
        c.status(401);
        return c.render(<SecondStepPage next={next} passkeys={true} error={i.t('twostep.signin.passkeyFailed')} />, { title: i.t('twostep.signin.title') });
      };
      const stored = base64(values.credentialId) ? await passkeyOf(db, auth.user.id, values.credentialId) : null;
      const challenge = stored ? verifyAssertion(relyingParty(c), stored, values) : null;
      if (!challenge) return failed();
      const session = await createSession(db, {
        userId: auth.user.id,
        replacesToken: sessionToken(c),
        now: at,
        audit: { orgId: auth.org.kind === 'customer' ? auth.org.id : null, actorName: auth.user.name, action: 'user.signed_in' },
        twoStepVerified: true,
        userAgent: c.req.header('user-agent'),
        guard: spendChallenge(auth.sessionId, challenge, at),
        alsoWrite: touchPasskey(auth.user.id, values.credentialId, at),
      });
      if (!session) return failed();
      setSessionCookie(c, session.token, session.expiresAt);
      return c.redirect(afterSignIn(c, next), 303);
    },
  )
  .get('/two-step/passkey.js', (c) => {
    c.header('content-type', 'text/javascript; charset=utf-8');
    c.header('cache-control', c.req.query('v') === PASSKEY_SCRIPT_VERSION ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(PASSKEY_SCRIPT);
  })

  // ── Preferences → Two-step sign-in ──
  .get('/settings/two-step', requireRole(), (c) => renderTwoStepPage(c))
  .post('/settings/two-step/setup', requireRole(), form(z.object({ key: z.string().max(100), code: z.string().max(200).default('') })), async (c) => {
    const auth = c.get('auth')!;
    const i = c.get('i18n');
    const { key: hex, code } = c.req.valid('form');
    const key = keyFromHex(hex);
    if (!key) return renderTwoStepPage(c, { setup: i.t('twostep.error.key') });
    const typed = readCode(code);
    if (typed.kind === 'recovery') return renderTwoStepPage(c, { setup: i.t('twostep.error.letters') }, hex);
    const shape = shapeError(i, typed);
    if (shape) return renderTwoStepPage(c, { setup: shape }, hex);
    const step = acceptedStep(key, (typed as { code: string }).code, now(c), null);
    if (step === null) return renderTwoStepPage(c, { setup: i.t('twostep.error.wrong') }, hex);
    const codes = newRecoveryCodes();
    await enableTwoStep(c.get('deps').db, auth, { keyHex: hex, step, codes });
    return c.render(<RecoveryCodesPage codes={codes} notice={i.t('twostep.enabled')} />, { title: i.t('twostep.codes.shownTitle') });
  })
  .post('/settings/two-step/recovery-codes', requireRole(), async (c) => {
    const auth = c.get('auth')!;
    if (!auth.twoStep.on) return c.redirect('/settings/two-step', 303);
    const codes = newRecoveryCodes();
    await replaceRecoveryCodes(c.get('deps').db, auth, codes);
    return c.render(<RecoveryCodesPage codes={codes} />, { title: c.get('i18n').t('twostep.codes.shownTitle') });
  })
  .post('/settings/two-step/disable', requireRole(), form(z.object({ offCode: z.string().max(200).default('') })), async (c) => {
    const auth = c.get('auth')!;
    const i = c.get('i18n');
    if (!auth.twoStep.on) return c.redirect('/settings/two-step', 303);
    if (!mayTurnOff(c)) return renderTwoStepPage(c, { off: i.t('twostep.off.required') });
    // Counted like a sign-in attempt: turning it off is worth as much as signing in.
    const checked = await checkSecondStep(c, auth.user, c.req.valid('form').offCode, 'recovery');
    if (!checked?.ok) return renderTwoStepPage(c, { off: checked?.error ?? i.t('twostep.error.recovery') });
    if (!(await disableOwnTwoStep(c.get('deps').db, auth, checked.spend))) return renderTwoStepPage(c, { off: i.t('twostep.error.reused') });
    return redirectWithFlash(c, '/settings/two-step', 'twostep.disabled');
  })

  .post('/settings/two-step/passkeys/options', requireRole(), async (c) => {
    if (!c.get('auth')!.twoStep.on) return c.json({ error: 'two-step sign-in is off' }, 409);
    return challengeJson(c);
  })
  .post(
    '/settings/two-step/passkeys',
    requireRole(),
    form(z.object({ name: z.string().max(200).default(''), attestation: z.string().max(20000).default(''), clientData: z.string().max(20000).default('') })),
    async (c) => {
      const auth = c.get('auth')!;
      const i = c.get('i18n');
      if (!auth.twoStep.on) return c.redirect('/settings/two-step', 303);
      const { attestation, clientData } = c.req.valid('form');
      const name = c.req.valid('form').name.trim();
      if (name.length < 1 || name.length > 60) return renderTwoStepPage(c, { name: i.t('twostep.passkeys.error.name') });
      const passkey = verifyRegistration(relyingParty(c), attestation, clientData);
      if (!passkey || !(await addPasskey(c.get('deps').db, auth, { ...passkey, name }, now(c)))) {
        return renderTwoStepPage(c, { name: i.t('twostep.passkeys.failed') });
      }
      return redirectWithFlash(c, '/settings/two-step', 'twostep.passkeys.added');
    },
  )
  .post(`/settings/two-step/passkeys/:id{${UUID}}/remove`, requireRole(), async (c) => {
    if (!(await removePasskey(c.get('deps').db, c.get('auth')!, c.req.param('id').toLowerCase()))) return notFound(c);
    return redirectWithFlash(c, '/settings/two-step', 'twostep.passkeys.removed');
  })

  // ── The organization's policy (Settings → Security, global admins) ──
  .get('/settings/security', requireRole('global_admin'), (c) => {
    return c.render(<PolicyPage required={c.get('auth')!.twoStep.required} />, { title: c.get('i18n').t('twostep.policy.title') });
  })
  .post('/settings/security', requireRole('global_admin'), form(z.object({ requireTwoStep: z.literal('on').optional() })), async (c) => {
    await setPolicy(c.get('deps').db, c.get('auth')!, c.req.valid('form').requireTwoStep === 'on');
    return redirectWithFlash(c, '/settings/security', 'twostep.policy.saved');
  })

  // ── A global admin resets another admin's two-step sign-in ──
  .post(`/users/:id{${UUID}}/two-step/reset`, requireRole('global_admin'), async (c) => {
    const auth = c.get('auth')!;
    if (auth.org.kind !== 'customer') return notFound(c);
    const db = c.get('deps').db;
    const id = c.req.param('id').toLowerCase();
    const target = await resetTarget(db, auth, id);
    if (!target) return notFound(c);
    const locale = c.get('i18n').locale;
    const done = await resetTwoStep(
      db,
      auth,
      id,
      (who) => [
        localizedMail(who.email, locale, (i) => ({
          subject: i.t('twostep.mail.reset.subject'),
          body: i.t('twostep.mail.reset.body', { actor: auth.user.name }),
        })),
        localizedMail(auth.user.email, locale, (i) => ({
          subject: i.t('twostep.mail.resetDone.subject', { name: who.name }),
          body: i.t('twostep.mail.resetDone.body', { name: who.name, email: who.email }),
        })),
      ],
      target,
    );
    if (!done) return notFound(c);
    return redirectWithFlash(c, `/users/${id}`, 'twostep.admin.done');
  });

/**
 * The relying party: PUBLIC_URL's host, or the host this request came to (a second name of the same
 * server). The browser scopes every passkey to the host it was made on and signs that host's hash, so a
 * request through another host never uses a passkey made here.
 */
function relyingParty(c: Context<AppEnv>): RelyingParty {
  const pub = new URL(c.get('deps').env.PUBLIC_URL);
  const own = new URL(c.req.url);
  return { id: own.hostname, origins: [...new Set([pub.origin, own.origin])] };
}

/** A new challenge for this session, with what the browser needs for either ceremony. */
async function challengeJson(c: Context<AppEnv>) {
  const auth = c.get('auth')!;
  const challenge = newChallenge();
  const credentials = await saveChallenge(c.get('deps').db, auth, challengeHash(challenge), new Date(now(c).getTime() + CHALLENGE_TTL));
  return c.json({
    challenge: encodeBase64(challenge),
    rpId: relyingParty(c).id,
    userId: encodeBase64(new TextEncoder().encode(auth.user.id)),
    userName: auth.user.email,
    userDisplayName: auth.user.name,
    credentials,
  });
}

/** Where a finished sign-in goes: `next`, and partner staff's home is the portal. */
function afterSignIn(c: Context<AppEnv>, next: string): string {
  const role = c.get('auth')!.user.role;
  return next === '/' && (role === 'partner_admin' || role === 'partner_agent') ? '/portal' : next;
}

/** For tests and the README: the code an authenticator app shows now for a key (hex). */
export function currentCode(hex: string, at: Date): string {
  return codeAt(keyFromHex(hex)!, timeStep(at));
}
