/**
 * What an error means for the answer (database unavailable → 503) and what of it may be logged. The
 * log never carries a failed query's parameters (drizzle puts them in its message: e-mails, password
 * hashes), quoted input echoed by PostgreSQL, e-mail addresses or tokens in paths.
 */

/** Codes of a database that cannot be reached right now: postgres.js's own, the socket's, PostgreSQL's. */
const UNAVAILABLE = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
]);

/** The error and its causes (drizzle wraps the driver's error in `cause`), outermost first. */
function chain(err: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let e = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    out.push(e as Record<string, unknown>);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

function codeOf(e: Record<string, unknown>): string | undefined {
  return typeof e.code === 'string' ? e.code : undefined;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  return chain(err).some((e) => {
    const code = codeOf(e);
    // SQLSTATE class 08: connection exceptions.
    return (code !== undefined && (UNAVAILABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code))) || (Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable));
  });
}

/** Paths that carry a secret in a segment (authorization links, sign-up verification links). */
const TOKEN_PATH = /^\/(authorize|verify|invite|links\/redeem)\/[^/?#]+/;

export function redactPath(path: string): string {
  return path.replace(TOKEN_PATH, (_m, prefix: string) => `/${prefix}/[redacted]`).replace(/[^\s/?#]+@[^\s/?#]+/g, '[email]');
}

/** A message with what could be user data taken out: quoted values, e-mail addresses, drizzle's query text. */
export function safeMessage(message: string): string {
  const firstLine = message.split('\n')[0];
  const withoutQuery = firstLine.startsWith('Failed query') ? 'Failed query' : firstLine;
  return withoutQuery
    .replace(/"[^"]*"|'[^']*'/g, '[value]')
    .replace(/[^\s@"'<>]+@[^\s@"'<>]+/g, '[email]')
    .replace(/\$argon2[^\s]*/g, '[hash]')
    .slice(0, 200);
}

/** Name, code and a safe message of the error and of the cause that explains it; stack frames only. */
export function safeError(err: unknown): Record<string, unknown> {
  const [outer, ...causes] = chain(err);
  if (!outer) return { message: safeMessage(String(err)) };
  const root = causes.at(-1) ?? outer;
  const frames =
    typeof outer.stack === 'string'
      ? outer.stack
          .split('\n')
          .filter((l) => /^\s+at /.test(l))
          .slice(0, 8)
          .map((l) => l.trim())
      : [];
  return {
    name: String(outer.name ?? 'Error'),
    code: codeOf(root) ?? codeOf(outer),
    message: safeMessage(String(outer.message ?? '')),
    ...(root !== outer ? { cause: safeMessage(`${String(root.name ?? 'Error')}: ${String(root.message ?? '')}`) } : {}),
    stack: frames,
  };
}

/** One JSON line on stderr. */
export function logError(message: string, err: unknown, extra: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ level: 'error', time: new Date().toISOString(), message, ...extra, error: safeError(err) }));
}
