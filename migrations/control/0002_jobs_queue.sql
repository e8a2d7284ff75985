ALTER TABLE `jobs` ADD `dedupe_key` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `max_attempts` integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `lease_owner` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `lease_token` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `progress_step` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `progress_percent` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `started_at` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `finished_at` text;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_dedupe_active` ON `jobs` (`dedupe_key`) WHERE "jobs"."dedupe_key" IS NOT NULL AND "jobs"."status" IN ('queued', 'running');--> statement-breakpoint
CREATE INDEX `jobs_clinic_created` ON `jobs` (`clinic_id`,`created_at`);