CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`encounter_id` text,
	`category` text NOT NULL,
	`title` text NOT NULL,
	`original_name` text NOT NULL,
	`media_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`blob_name` text NOT NULL,
	`taken_on` text,
	`uploaded_at` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`deleted_at` text,
	`deleted_by` text,
	`delete_reason` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attachments_blob_name_unique` ON `attachments` (`blob_name`);--> statement-breakpoint
CREATE INDEX `attachments_patient` ON `attachments` (`patient_id`,`uploaded_at`);--> statement-breakpoint
CREATE INDEX `attachments_encounter` ON `attachments` (`encounter_id`);