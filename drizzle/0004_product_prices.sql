CREATE TABLE "product_prices" (
	"product_id" text NOT NULL,
	"currency" text NOT NULL,
	"price_cents" integer NOT NULL,
	CONSTRAINT "product_prices_product_id_currency_pk" PRIMARY KEY("product_id","currency"),
	CONSTRAINT "price_not_negative" CHECK ("product_prices"."price_cents" >= 0)
);
--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "price_cents" integer;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "price_cents" integer;--> statement-breakpoint
ALTER TABLE "product_prices" ADD CONSTRAINT "product_prices_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- custom SQL (re-append after regenerating)
-- A database made before the price list keeps its products' one known price, in the currency it was set in;
-- other currencies are not guessed (an organization billed in one without a price is not offered the product).
INSERT INTO "product_prices" ("product_id", "currency", "price_cents") SELECT "id", "currency", "price_cents" FROM "products" ON CONFLICT DO NOTHING;
