/** A plan's or product's name and description in the reader's language (src/catalog/messages.ts), else the database's English. */
import type { I18n, MessageKey } from '../i18n/index.ts';

type Kind = 'plan' | 'product';
type Field = 'name' | 'description';

/**
 * Per language, what the catalogue says for each plan's and product's text (null: nothing, the
 * database's text stands). A list names the same few products on every row: each is looked up once,
 * not built, hashed and interpolated again per row. Bounded, although the catalogue itself is.
 */
const known = new WeakMap<Pick<I18n, 't' | 'has'>, Map<string, string | null>[]>();
const slots = { plan: { name: 0, description: 1 }, product: { name: 2, description: 3 } } as const;
const MAX_KNOWN = 1000;

function text(i18n: Pick<I18n, 't' | 'has'>, kind: Kind, id: string, field: Field, fallback: string): string {
  let texts = known.get(i18n);
  if (!texts) known.set(i18n, (texts = [new Map(), new Map(), new Map(), new Map()]));
  const byId = texts[slots[kind][field]];
  let found = byId.get(id);
  if (found === undefined) {
    const key = `catalog.${kind}.${id}.${field}`;
    found = i18n.has(key) ? i18n.t(key as MessageKey) : null;
    if (byId.size >= MAX_KNOWN) byId.clear();
    byId.set(id, found);
  }
  return found ?? fallback;
}

export const planName = (i18n: Pick<I18n, 't' | 'has'>, plan: { id: string; name: string }) => text(i18n, 'plan', plan.id, 'name', plan.name);
export const planDescription = (i18n: Pick<I18n, 't' | 'has'>, plan: { id: string; description: string }) =>
  text(i18n, 'plan', plan.id, 'description', plan.description);
export const productName = (i18n: Pick<I18n, 't' | 'has'>, id: string, fallback: string) => text(i18n, 'product', id, 'name', fallback);
export const productDescription = (i18n: Pick<I18n, 't' | 'has'>, id: string, fallback: string) => text(i18n, 'product', id, 'description', fallback);
