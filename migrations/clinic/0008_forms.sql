CREATE TABLE `form_documents` (
	`record_id` text PRIMARY KEY NOT NULL,
	`pdf` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`record_id`) REFERENCES `form_records`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `form_records` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`template_id` text NOT NULL,
	`version_id` text NOT NULL,
	`template_version` integer NOT NULL,
	`kind` text NOT NULL,
	`signed_on` text NOT NULL,
	`recorded_at` text NOT NULL,
	`recorded_by` text NOT NULL,
	`signer` text NOT NULL,
	`guardian_name` text,
	`guardian_relationship` text,
	`answers` text,
	`signature_kind` text,
	`signature` text,
	`witness_id` text,
	`witness_name` text,
	`pdf_sha256` text NOT NULL,
	`pdf_bytes` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`withdrawn_on` text,
	`withdrawn_at` text,
	`withdrawn_by` text,
	`withdraw_reason` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`template_id`) REFERENCES `form_templates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`version_id`) REFERENCES `form_template_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `form_records_patient` ON `form_records` (`patient_id`,`signed_on`);--> statement-breakpoint
CREATE TABLE `form_template_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`template_id` text NOT NULL,
	`version` integer NOT NULL,
	`content` text NOT NULL,
	`content_sha256` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	FOREIGN KEY (`template_id`) REFERENCES `form_templates`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `form_template_versions_template` ON `form_template_versions` (`template_id`,`version`);--> statement-breakpoint
CREATE TABLE `form_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`code` text,
	`current_version` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`retired_at` text,
	`retired_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `form_templates_code` ON `form_templates` (`code`);--> statement-breakpoint
-- Hand-written: consent and form records are never deleted, and what was signed never changes.
-- A record may only go from active to withdrawn (with its date, reason and who); template versions
-- and the signed PDFs are write-once; templates are retired, not deleted.
CREATE TRIGGER `form_records_no_delete` BEFORE DELETE ON `form_records`
BEGIN
	SELECT RAISE(ABORT, 'form_records are never deleted; a consent is withdrawn');
END;--> statement-breakpoint
CREATE TRIGGER `form_records_signed_content` BEFORE UPDATE ON `form_records`
WHEN OLD.status <> 'active' OR NEW.status <> 'withdrawn'
	OR NEW.id IS NOT OLD.id OR NEW.patient_id IS NOT OLD.patient_id OR NEW.template_id IS NOT OLD.template_id
	OR NEW.version_id IS NOT OLD.version_id OR NEW.template_version IS NOT OLD.template_version OR NEW.kind IS NOT OLD.kind
	OR NEW.signed_on IS NOT OLD.signed_on OR NEW.recorded_at IS NOT OLD.recorded_at OR NEW.recorded_by IS NOT OLD.recorded_by
	OR NEW.signer IS NOT OLD.signer OR NEW.guardian_name IS NOT OLD.guardian_name OR NEW.guardian_relationship IS NOT OLD.guardian_relationship
	OR NEW.answers IS NOT OLD.answers OR NEW.signature_kind IS NOT OLD.signature_kind OR NEW.signature IS NOT OLD.signature
	OR NEW.witness_id IS NOT OLD.witness_id OR NEW.witness_name IS NOT OLD.witness_name
	OR NEW.pdf_sha256 IS NOT OLD.pdf_sha256 OR NEW.pdf_bytes IS NOT OLD.pdf_bytes
BEGIN
	SELECT RAISE(ABORT, 'form_records: a signed record does not change; it can only be withdrawn once');
END;--> statement-breakpoint
CREATE TRIGGER `form_documents_no_update` BEFORE UPDATE ON `form_documents`
BEGIN
	SELECT RAISE(ABORT, 'form_documents are write-once');
END;--> statement-breakpoint
CREATE TRIGGER `form_documents_no_delete` BEFORE DELETE ON `form_documents`
BEGIN
	SELECT RAISE(ABORT, 'form_documents are write-once');
END;--> statement-breakpoint
CREATE TRIGGER `form_template_versions_no_update` BEFORE UPDATE ON `form_template_versions`
BEGIN
	SELECT RAISE(ABORT, 'form_template_versions are immutable; edit the template to add a version');
END;--> statement-breakpoint
CREATE TRIGGER `form_template_versions_no_delete` BEFORE DELETE ON `form_template_versions`
BEGIN
	SELECT RAISE(ABORT, 'form_template_versions are immutable; edit the template to add a version');
END;--> statement-breakpoint
CREATE TRIGGER `form_templates_no_delete` BEFORE DELETE ON `form_templates`
BEGIN
	SELECT RAISE(ABORT, 'form_templates are retired, not deleted');
END;
