CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`action` text NOT NULL,
	`outcome` text NOT NULL,
	`actor_user_id` text,
	`actor_kind` text NOT NULL,
	`actor_roles` text NOT NULL,
	`session_hash` text,
	`ip` text,
	`user_agent` text,
	`entity_type` text,
	`entity_id` text,
	`patient_id` text,
	`reason` text,
	`request_id` text,
	`route` text,
	`detail` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_actor` ON `audit_log` (`actor_user_id`) WHERE "audit_log"."actor_user_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `audit_log_patient` ON `audit_log` (`patient_id`) WHERE "audit_log"."patient_id" IS NOT NULL;--> statement-breakpoint
-- Hand-written (LG3): the audit log is append-only. Dropping these triggers is itself audited by
-- `invent db sql`, and any change it allows is caught by `invent audit verify` (hash chain).
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
