CREATE TABLE "domains" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"txt_token" text NOT NULL,
	"verified_at" timestamp with time zone,
	"is_default" boolean DEFAULT false NOT NULL,
	"is_initial" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
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
ALTER TABLE "users" ADD COLUMN "admin_roles" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_verified_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "time_zone" text;--> statement-breakpoint
ALTER TABLE "domains" ADD CONSTRAINT "domains_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_verifications" ADD CONSTRAINT "email_verifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_prices" ADD CONSTRAINT "product_prices_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "domains_org_name_idx" ON "domains" USING btree ("org_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "domains_verified_name_idx" ON "domains" USING btree ("name") WHERE "domains"."verified_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "domains_one_default_idx" ON "domains" USING btree ("org_id") WHERE "domains"."is_default";--> statement-breakpoint
CREATE INDEX "email_verifications_user_idx" ON "email_verifications" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "relationships_org_partner_name_idx" ON "partner_relationships" USING btree ("org_id","partner_name","partner_org_id");--> statement-breakpoint
CREATE INDEX "relationships_org_partner_ended_idx" ON "partner_relationships" USING btree ("org_id","partner_org_id","started_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "partner_relationships"."status" <> 'active';--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("send_after") WHERE "outbox"."sent_at" is null and "outbox"."failed_at" is null;
--> statement-breakpoint
-- from roles (drizzle/0004_admin_roles_domains.sql)
-- custom SQL (re-append after regenerating)
-- The initial domain's name: the organization's name reduced to a-z0-9 (max 40), "org" when nothing is
-- left (a name in Chinese), with a piece of the org id when another organization already holds it.
CREATE FUNCTION initial_domain_name(org_name text, org_id uuid, suffix text) RETURNS text LANGUAGE sql STABLE AS $$
  select case when exists (select 1 from domains d where d.name = l.base || '.' || suffix and d.verified_at is not null)
      then l.base || left(replace(org_id::text, '-', ''), 8) else l.base end || '.' || suffix
  from (select coalesce(nullif(left(regexp_replace(lower(org_name), '[^a-z0-9]', '', 'g'), 40), ''), 'org') as base) l
$$;--> statement-breakpoint
-- Backfill: every existing customer organization gets its initial domain, verified and default (default suffix).
DO $$
DECLARE o record;
BEGIN
  FOR o IN SELECT id, name FROM organizations WHERE kind = 'customer' ORDER BY created_at, id LOOP
    INSERT INTO domains (org_id, name, txt_token, verified_at, is_default, is_initial)
    VALUES (o.id, initial_domain_name(o.name, o.id, 'partnerdesk.local'), md5(random()::text), now(), true, true);
  END LOOP;
END $$;

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

