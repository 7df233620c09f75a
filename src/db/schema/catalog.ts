/** The product catalog and its price lists. */
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

export const plans = pgTable('plans', {
  id: text().primaryKey(),
  name: text().notNull(),
  description: text().notNull(),
  sort: integer().notNull(),
});

export const products = pgTable(
  'products',
  {
    id: text().primaryKey(),
    planId: text()
      .notNull()
      .references(() => plans.id),
    name: text().notNull(),
    description: text().notNull(),
    /** Price per license per month, in the smallest unit of `currency`. */
    priceCents: integer().notNull(),
    currency: text().notNull().default('USD'),
    countries: text().array().notNull(),
    trialDays: integer(),
    sort: integer().notNull(),
  },
  (t) => [index('products_plan_idx').on(t.planId, t.sort)],
);

/** The catalog's own price list: one price per product per currency (src/catalog/currencies.ts), never a conversion. */
export const productPrices = pgTable(
  'product_prices',
  {
    productId: text()
      .notNull()
      .references(() => products.id),
    currency: text().notNull(),
    /** Per license per month, in the currency's smallest unit. */
    priceCents: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.currency] }), check('price_not_negative', sql`${t.priceCents} >= 0`)],
);
