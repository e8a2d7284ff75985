CREATE TABLE `dental_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`tooth` integer NOT NULL,
	`surface` text,
	`finding` text NOT NULL,
	`action` text NOT NULL,
	`status` text NOT NULL,
	`material` text,
	`draft` integer DEFAULT 0 NOT NULL,
	`note` text,
	`recorded_at` text NOT NULL,
	`recorded_by` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "dental_entries_tooth" CHECK("dental_entries"."tooth" BETWEEN 11 AND 85 AND "dental_entries"."tooth" % 10 BETWEEN 1 AND 8),
	CONSTRAINT "dental_entries_surface" CHECK("dental_entries"."surface" IS NULL OR "dental_entries"."surface" IN ('M', 'O', 'D', 'B', 'L')),
	CONSTRAINT "dental_entries_action" CHECK("dental_entries"."action" IN ('record', 'remove', 'reject')),
	CONSTRAINT "dental_entries_status" CHECK("dental_entries"."status" IN ('completed', 'planned')),
	CONSTRAINT "dental_entries_draft" CHECK("dental_entries"."draft" IN (0, 1))
);
--> statement-breakpoint
CREATE INDEX `dental_entries_patient_time` ON `dental_entries` (`patient_id`,`recorded_at`);--> statement-breakpoint
-- Hand-written: dental entries are append-only (a correction is a new entry), so the chart of any
-- past date can be rebuilt. Deletion is left to retention (whole records), not to editing.
CREATE TRIGGER `dental_entries_no_update` BEFORE UPDATE ON `dental_entries`
BEGIN
	SELECT RAISE(ABORT, 'dental_entries is append-only');
END;
