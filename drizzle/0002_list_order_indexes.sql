DROP INDEX "audit_org_idx";--> statement-breakpoint
DROP INDEX "audit_partner_idx";--> statement-breakpoint
DROP INDEX "invitations_partner_idx";--> statement-breakpoint
DROP INDEX "relationships_org_idx";--> statement-breakpoint
DROP INDEX "relationships_partner_idx";--> statement-breakpoint
DROP INDEX "subscriptions_org_created_idx";--> statement-breakpoint
CREATE INDEX "audit_org_partner_idx" ON "audit_log" USING btree ("org_id","partner_org_id","id");--> statement-breakpoint
CREATE INDEX "audit_org_idx" ON "audit_log" USING btree ("org_id","id");--> statement-breakpoint
CREATE INDEX "audit_partner_idx" ON "audit_log" USING btree ("partner_org_id","id");--> statement-breakpoint
CREATE INDEX "invitations_partner_idx" ON "invitations" USING btree ("partner_org_id","created_at" DESC NULLS FIRST,"id");--> statement-breakpoint
CREATE INDEX "relationships_org_idx" ON "partner_relationships" USING btree ("org_id","started_at" DESC NULLS FIRST,"id");--> statement-breakpoint
CREATE INDEX "relationships_partner_idx" ON "partner_relationships" USING btree ("partner_org_id","org_id");--> statement-breakpoint
CREATE INDEX "subscriptions_org_created_idx" ON "subscriptions" USING btree ("org_id","created_at","id");