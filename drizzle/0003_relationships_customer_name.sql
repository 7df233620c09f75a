ALTER TABLE "partner_relationships" ADD COLUMN "customer_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "relationships_partner_name_idx" ON "partner_relationships" USING btree ("partner_org_id","customer_name","org_id");--> statement-breakpoint
UPDATE "partner_relationships" r SET "customer_name" = o."name" FROM "organizations" o WHERE o."id" = r."org_id";--> statement-breakpoint
-- Every new relationship copies its customer's name (organizations are not renamed).
CREATE FUNCTION partner_relationships_customer_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.customer_name := (SELECT name FROM organizations WHERE id = NEW.org_id);
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER partner_relationships_customer_name BEFORE INSERT ON partner_relationships
  FOR EACH ROW EXECUTE FUNCTION partner_relationships_customer_name();
