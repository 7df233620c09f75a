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

/** null when there is no cursor (the first page); undefined when it is not one we made. */
export function decodeCursor(value: string | undefined): Cursor | null | undefined {
  if (!value) return null;
  try {
    const [key, id] = JSON.parse(Buffer.from(value, 'base64url').toString()) as unknown[];
    if ((key !== null && typeof key !== 'string') || typeof id !== 'string' || !isUuid(id) || (key?.length ?? 0) > 200) return undefined;
    return { key, id };
  } catch {
    return undefined;
  }
}
