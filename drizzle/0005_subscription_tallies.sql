CREATE TABLE "subscription_tallies" (
	"org_id" uuid NOT NULL,
	"partner_org_id" uuid,
	"n" integer DEFAULT 0 NOT NULL,
	"changes" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "subscription_tallies_group" UNIQUE NULLS NOT DISTINCT("org_id","partner_org_id")
);
--> statement-breakpoint
ALTER TABLE "subscription_tallies" ADD CONSTRAINT "subscription_tallies_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Kept by statement-level triggers with transition tables: a bulk change of 100,000 subscriptions adds
-- one grouped upsert, not 100,000. Groups are upserted in (org, partner) order, so two transactions
-- touching the same groups take their row locks in the same order and cannot deadlock on them.
CREATE FUNCTION subscription_tallies_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO subscription_tallies AS t (org_id, partner_org_id, n, changes)
      SELECT org_id, partner_org_id, count(*), count(*) FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2 NULLS FIRST
      ON CONFLICT (org_id, partner_org_id) DO UPDATE SET n = t.n + excluded.n, changes = t.changes + excluded.changes;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO subscription_tallies AS t (org_id, partner_org_id, n, changes)
      SELECT org_id, partner_org_id, sum(dn), sum(dc) FROM (
        SELECT org_id, partner_org_id, -1 AS dn, 1 AS dc FROM old_rows
        UNION ALL SELECT org_id, partner_org_id, 1, 0 FROM new_rows) d
      GROUP BY 1, 2 ORDER BY 1, 2 NULLS FIRST
      ON CONFLICT (org_id, partner_org_id) DO UPDATE SET n = t.n + excluded.n, changes = t.changes + excluded.changes;
  ELSE
    INSERT INTO subscription_tallies AS t (org_id, partner_org_id, n, changes)
      SELECT org_id, partner_org_id, -count(*), count(*) FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2 NULLS FIRST
      ON CONFLICT (org_id, partner_org_id) DO UPDATE SET n = t.n + excluded.n, changes = t.changes + excluded.changes;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER subscription_tallies_insert AFTER INSERT ON subscriptions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION subscription_tallies_apply();
--> statement-breakpoint
CREATE TRIGGER subscription_tallies_update AFTER UPDATE ON subscriptions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION subscription_tallies_apply();
--> statement-breakpoint
CREATE TRIGGER subscription_tallies_delete AFTER DELETE ON subscriptions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION subscription_tallies_apply();
--> statement-breakpoint
INSERT INTO subscription_tallies (org_id, partner_org_id, n, changes)
  SELECT org_id, partner_org_id, count(*), coalesce(sum(version), 0) FROM subscriptions GROUP BY 1, 2;
