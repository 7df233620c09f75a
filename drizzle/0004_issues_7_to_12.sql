CREATE TABLE "email_verifications" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_prices" (
	"product_id" text NOT NULL,
	"currency" text NOT NULL,
	"price_cents" integer NOT NULL,
	CONSTRAINT "product_prices_product_id_currency_pk" PRIMARY KEY("product_id","currency"),
	CONSTRAINT "price_not_negative" CHECK ("product_prices"."price_cents" >= 0)
);
--> statement-breakpoint
DROP INDEX "outbox_pending_idx";--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "price_cents" integer;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "failed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partner_relationships" ADD COLUMN "partner_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "price_cents" integer;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_verified_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "time_zone" text;--> statement-breakpoint
ALTER TABLE "email_verifications" ADD CONSTRAINT "email_verifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_prices" ADD CONSTRAINT "product_prices_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_verifications_user_idx" ON "email_verifications" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "relationships_org_partner_name_idx" ON "partner_relationships" USING btree ("org_id","partner_name","partner_org_id");--> statement-breakpoint
CREATE INDEX "relationships_org_partner_ended_idx" ON "partner_relationships" USING btree ("org_id","partner_org_id","started_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "partner_relationships"."status" <> 'active';--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("send_after") WHERE "outbox"."sent_at" is null and "outbox"."failed_at" is null;
--> statement-breakpoint
-- from catalog (drizzle/0004_product_prices.sql)
-- custom SQL (re-append after regenerating)
-- A database made before the price list keeps its products' one known price, in the currency it was set in;
-- other currencies are not guessed (an organization billed in one without a price is not offered the product).
INSERT INTO "product_prices" ("product_id", "currency", "price_cents") SELECT "id", "currency", "price_cents" FROM "products" ON CONFLICT DO NOTHING;

--> statement-breakpoint
-- from catalog (drizzle/0005_relationships_partner_name.sql)
-- custom SQL (re-append after regenerating)
UPDATE "partner_relationships" r SET "partner_name" = p."name" FROM "partners" p WHERE p."org_id" = r."partner_org_id";--> statement-breakpoint
-- Every new relationship copies its partner's name (like customer_name; partner profiles are not renamed).
CREATE FUNCTION partner_relationships_partner_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.partner_name := coalesce((SELECT name FROM partners WHERE org_id = NEW.partner_org_id), '');
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER partner_relationships_partner_name BEFORE INSERT ON partner_relationships
  FOR EACH ROW EXECUTE FUNCTION partner_relationships_partner_name();

