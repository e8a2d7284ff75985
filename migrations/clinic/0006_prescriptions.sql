CREATE TABLE `prescriber_profiles` (
	`user_id` text PRIMARY KEY NOT NULL,
	`licence_no` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `prescription_items` (
	`id` text PRIMARY KEY NOT NULL,
	`prescription_id` text NOT NULL,
	`position` integer NOT NULL,
	`medicine` text NOT NULL,
	`strength` text,
	`form` text,
	`dose` text,
	`route` text,
	`frequency` text,
	`duration` text,
	`quantity` integer,
	`refills` integer DEFAULT 0 NOT NULL,
	`instructions_en` text,
	`instructions_ar` text,
	FOREIGN KEY (`prescription_id`) REFERENCES `prescriptions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `prescription_items_prescription` ON `prescription_items` (`prescription_id`,`position`);--> statement-breakpoint
CREATE TABLE `prescriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`encounter_id` text,
	`prescriber_id` text NOT NULL,
	`prescriber_name` text NOT NULL,
	`licence_no` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`allergy_override` integer DEFAULT 0 NOT NULL,
	`allergy_matches` text,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`signed_at` text,
	`signed_by` text,
	`cancelled_at` text,
	`cancelled_by` text,
	`cancel_reason` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `prescriptions_patient` ON `prescriptions` (`patient_id`,`created_at`);