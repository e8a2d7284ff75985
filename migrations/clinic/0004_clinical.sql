CREATE TABLE `allergies` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`substance` text NOT NULL,
	`reaction` text,
	`severity` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`recorded_by` text NOT NULL,
	`recorded_at` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `allergies_patient` ON `allergies` (`patient_id`);--> statement-breakpoint
CREATE TABLE `diagnoses` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`encounter_id` text NOT NULL,
	`icd10` text,
	`text` text NOT NULL,
	`recorded_by` text NOT NULL,
	`recorded_at` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`encounter_id`) REFERENCES `encounters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `diagnoses_encounter` ON `diagnoses` (`encounter_id`);--> statement-breakpoint
CREATE INDEX `diagnoses_patient` ON `diagnoses` (`patient_id`);--> statement-breakpoint
CREATE TABLE `encounter_addenda` (
	`id` text PRIMARY KEY NOT NULL,
	`encounter_id` text NOT NULL,
	`author_id` text NOT NULL,
	`at` text NOT NULL,
	`text` text NOT NULL,
	FOREIGN KEY (`encounter_id`) REFERENCES `encounters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `encounter_addenda_encounter` ON `encounter_addenda` (`encounter_id`,`at`);--> statement-breakpoint
CREATE TABLE `encounters` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`started_at` text NOT NULL,
	`type` text NOT NULL,
	`clinician_id` text NOT NULL,
	`chief_complaint` text,
	`subjective` text,
	`objective` text,
	`assessment` text,
	`plan` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`signed_at` text,
	`signed_by` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `encounters_patient_time` ON `encounters` (`patient_id`,`started_at`,`id`);--> statement-breakpoint
CREATE TABLE `medications` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`name` text NOT NULL,
	`strength` text,
	`dose` text,
	`status` text DEFAULT 'active' NOT NULL,
	`start_date` text,
	`stop_date` text,
	`recorded_by` text NOT NULL,
	`recorded_at` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `medications_patient` ON `medications` (`patient_id`,`status`);--> statement-breakpoint
CREATE TABLE `problems` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`icd10` text,
	`text` text NOT NULL,
	`onset` text,
	`status` text DEFAULT 'active' NOT NULL,
	`recorded_by` text NOT NULL,
	`recorded_at` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `problems_patient` ON `problems` (`patient_id`);--> statement-breakpoint
CREATE TABLE `procedures` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`encounter_id` text NOT NULL,
	`code` text,
	`text` text NOT NULL,
	`recorded_by` text NOT NULL,
	`recorded_at` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`encounter_id`) REFERENCES `encounters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `procedures_encounter` ON `procedures` (`encounter_id`);--> statement-breakpoint
CREATE TABLE `vitals` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`encounter_id` text,
	`taken_at` text NOT NULL,
	`taken_by` text NOT NULL,
	`systolic` integer,
	`diastolic` integer,
	`pulse` integer,
	`temperature_c` real,
	`resp_rate` integer,
	`spo2` integer,
	`weight_kg` real,
	`height_cm` real,
	`bmi` real,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`encounter_id`) REFERENCES `encounters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `vitals_patient_time` ON `vitals` (`patient_id`,`taken_at`);--> statement-breakpoint
CREATE INDEX `vitals_encounter` ON `vitals` (`encounter_id`);