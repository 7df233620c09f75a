ALTER TABLE "partner_relationships" ADD COLUMN "partner_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "relationships_org_partner_name_idx" ON "partner_relationships" USING btree ("org_id","partner_name","partner_org_id");--> statement-breakpoint
CREATE INDEX "relationships_org_partner_ended_idx" ON "partner_relationships" USING btree ("org_id","partner_org_id","started_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "partner_relationships"."status" <> 'active';--> statement-breakpoint
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
