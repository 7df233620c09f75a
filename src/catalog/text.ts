/** A plan's or product's name and description in the reader's language (src/catalog/messages.ts), else the database's English. */
import type { I18n, MessageKey } from '../i18n/index.ts';

type Kind = 'plan' | 'product';

function text(i18n: Pick<I18n, 't' | 'has'>, kind: Kind, id: string, field: 'name' | 'description', fallback: string): string {
  const key = `catalog.${kind}.${id}.${field}`;
  return i18n.has(key) ? i18n.t(key as MessageKey) : fallback;
}

export const planName = (i18n: Pick<I18n, 't' | 'has'>, plan: { id: string; name: string }) => text(i18n, 'plan', plan.id, 'name', plan.name);
export const planDescription = (i18n: Pick<I18n, 't' | 'has'>, plan: { id: string; description: string }) =>
  text(i18n, 'plan', plan.id, 'description', plan.description);
export const productName = (i18n: Pick<I18n, 't' | 'has'>, id: string, fallback: string) => text(i18n, 'product', id, 'name', fallback);
export const productDescription = (i18n: Pick<I18n, 't' | 'has'>, id: string, fallback: string) => text(i18n, 'product', id, 'description', fallback);
