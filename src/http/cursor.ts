/**
 * Keyset pagination: a page link carries the last row's sort key and id, opaque in the URL
 * (base64url of a JSON pair). Every list pages the same way, so there is one codec.
 */
export const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const uuid = new RegExp(`^${UUID}$`, 'i');
export const isUuid = (v: string) => uuid.test(v);

export interface Cursor {
  /** The sort column's value as text (full precision), or null for a row without one. */
  key: string | null;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.key, c.id])).toString('base64url');
}

/** What the sort key must be: any text, or a timestamp as PostgreSQL prints it (the list casts it back). */
export type KeyKind = 'text' | 'timestamp';

const timestamp = /^(\d{4})-(\d{2})-(\d{2})[ T]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?$/;
/** A real calendar date and time (no 31 February), so the cast in the list's query cannot fail. */
function isTimestamp(value: string): boolean {
  const m = timestamp.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Text the database cannot take, or that no list of ours sorts by: control characters (NUL, which
 * PostgreSQL text refuses, among them) and lone surrogates (not UTF-8).
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what a cursor may not hold
const unfit = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const fitText = (v: string) => !unfit.test(v);

/**
 * null when there is no cursor (the first page); undefined when it is not one we made: the caller then
 * starts the list again. Types are checked strictly (the key's kind too), so a crafted cursor can never
 * reach the database as a value it cannot cast.
 */
export function decodeCursor(value: string | undefined, kind: KeyKind = 'text'): Cursor | null | undefined {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString());
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [key, id] = parsed as unknown[];
    if ((key !== null && typeof key !== 'string') || typeof id !== 'string' || !isUuid(id) || (key?.length ?? 0) > 200) return undefined;
    if (key !== null && !fitText(key)) return undefined;
    if (kind === 'timestamp' && key !== null && !isTimestamp(key)) return undefined;
    return { key, id };
  } catch {
    return undefined;
  }
}
