CREATE TABLE `patient_history` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`at` text NOT NULL,
	`user_id` text,
	`version` integer NOT NULL,
	`fields` text NOT NULL,
	`previous` text NOT NULL,
	`reason` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_history_patient` ON `patient_history` (`patient_id`,`at`);--> statement-breakpoint
CREATE TABLE `patient_index` (
	`field` text NOT NULL,
	`token` text NOT NULL,
	`patient_id` text NOT NULL,
	PRIMARY KEY(`field`, `token`, `patient_id`),
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_index_patient` ON `patient_index` (`patient_id`);--> statement-breakpoint
CREATE TABLE `patients` (
	`id` text PRIMARY KEY NOT NULL,
	`mrn` text NOT NULL,
	`demographics` text NOT NULL,
	`restricted` integer DEFAULT false NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `patients_mrn_unique` ON `patients` (`mrn`);