CREATE TABLE `audit_heads` (
	`clinic_id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`hash` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`clinic_id`) REFERENCES `clinics`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `identity_events` ADD `prev_hash` text;--> statement-breakpoint
ALTER TABLE `identity_events` ADD `hash` text;--> statement-breakpoint
-- Hand-written (LG3): identity events are append-only like the clinic audit logs.
CREATE TRIGGER `identity_events_no_update` BEFORE UPDATE ON `identity_events`
BEGIN
	SELECT RAISE(ABORT, 'identity_events is append-only');
END;--> statement-breakpoint
CREATE TRIGGER `identity_events_no_delete` BEFORE DELETE ON `identity_events`
BEGIN
	SELECT RAISE(ABORT, 'identity_events is append-only');
END;--> statement-breakpoint
-- A recorded audit head only moves forward: lowering it would hide a cut tail.
CREATE TRIGGER `audit_heads_forward_only` BEFORE UPDATE ON `audit_heads`
WHEN NEW.`clinic_id` IS NOT OLD.`clinic_id` OR NEW.`seq` < OLD.`seq` OR (NEW.`seq` = OLD.`seq` AND NEW.`hash` IS NOT OLD.`hash`)
BEGIN
	SELECT RAISE(ABORT, 'audit_heads only move forward');
END;--> statement-breakpoint
CREATE TRIGGER `audit_heads_no_delete` BEFORE DELETE ON `audit_heads`
BEGIN
	SELECT RAISE(ABORT, 'audit_heads only move forward');
END;
