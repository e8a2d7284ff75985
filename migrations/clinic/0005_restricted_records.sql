CREATE TABLE `break_glass` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`user_id` text NOT NULL,
	`reason` text NOT NULL,
	`granted_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`reviewed_by` text,
	`reviewed_at` text
);
--> statement-breakpoint
CREATE INDEX `break_glass_user_patient` ON `break_glass` (`user_id`,`patient_id`,`expires_at`);--> statement-breakpoint
CREATE TABLE `patient_clinicians` (
	`patient_id` text NOT NULL,
	`user_id` text NOT NULL,
	`added_by` text NOT NULL,
	`added_at` text NOT NULL,
	PRIMARY KEY(`patient_id`, `user_id`)
);
