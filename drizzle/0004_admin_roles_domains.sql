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
ALTER TABLE "users" ADD COLUMN "admin_roles" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "domains" ADD CONSTRAINT "domains_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "domains_org_name_idx" ON "domains" USING btree ("org_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "domains_verified_name_idx" ON "domains" USING btree ("name") WHERE "domains"."verified_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "domains_one_default_idx" ON "domains" USING btree ("org_id") WHERE "domains"."is_default";--> statement-breakpoint
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
