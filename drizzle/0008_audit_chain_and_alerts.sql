CREATE TABLE "audit_chain_heads" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_marks" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_state" (
	"org_id" uuid NOT NULL,
	"partner_org_id" uuid NOT NULL,
	"rule" text NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"pending_since" timestamp with time zone,
	"last_sent_at" timestamp with time zone,
	CONSTRAINT "alert_state_org_id_partner_org_id_rule_pk" PRIMARY KEY("org_id","partner_org_id","rule")
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_chain_idx" ON "audit_log" USING btree ("org_id","chain_seq");