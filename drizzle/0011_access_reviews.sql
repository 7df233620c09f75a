CREATE TABLE "alert_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"reset_limit" integer DEFAULT 5 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "access_review_policies" (
	"relationship_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"every_days" integer,
	"unanswered" text DEFAULT 'remove_unused' NOT NULL,
	"next_due_at" timestamp with time zone,
	"last_reviewed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "access_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"relationship_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"partner_org_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by_user_id" uuid,
	"outcome" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_review_policies" ADD CONSTRAINT "access_review_policies_relationship_id_partner_relationships_id_fk" FOREIGN KEY ("relationship_id") REFERENCES "public"."partner_relationships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_review_policies" ADD CONSTRAINT "access_review_policies_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_reviews" ADD CONSTRAINT "access_reviews_relationship_id_partner_relationships_id_fk" FOREIGN KEY ("relationship_id") REFERENCES "public"."partner_relationships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_reviews" ADD CONSTRAINT "access_reviews_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_reviews" ADD CONSTRAINT "access_reviews_partner_org_id_organizations_id_fk" FOREIGN KEY ("partner_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_reviews" ADD CONSTRAINT "access_reviews_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_review_policies_due_idx" ON "access_review_policies" USING btree ("next_due_at") WHERE "access_review_policies"."next_due_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "access_reviews_one_open_idx" ON "access_reviews" USING btree ("relationship_id") WHERE "access_reviews"."status" = 'open';--> statement-breakpoint
CREATE INDEX "access_reviews_open_due_idx" ON "access_reviews" USING btree ("due_at") WHERE "access_reviews"."status" = 'open';--> statement-breakpoint
CREATE INDEX "access_reviews_org_partner_idx" ON "access_reviews" USING btree ("org_id","partner_org_id") WHERE "access_reviews"."status" = 'open';--> statement-breakpoint
CREATE INDEX "audit_org_partner_action_idx" ON "audit_log" USING btree ("org_id","partner_org_id","action","id");