CREATE TABLE `archives` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`job_id` text,
	`status` text NOT NULL,
	`requested_at` text NOT NULL,
	`requested_by` text NOT NULL,
	`reason` text NOT NULL,
	`scope` text NOT NULL,
	`blob_name` text,
	`bytes` integer,
	`sha256` text,
	`files` integer,
	`ready_at` text,
	`expires_at` text,
	`deleted_at` text,
	`downloads` integer DEFAULT 0 NOT NULL,
	`error` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `archives_patient` ON `archives` (`patient_id`,`requested_at`);--> statement-breakpoint
CREATE INDEX `archives_requested` ON `archives` (`requested_at`);--> statement-breakpoint
CREATE INDEX `archives_expiry` ON `archives` (`status`,`expires_at`);