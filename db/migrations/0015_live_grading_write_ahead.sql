CREATE TABLE `grading_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`model` text NOT NULL,
	`provider_model` text,
	`purpose` text NOT NULL,
	`reason` text NOT NULL,
	`message` text NOT NULL,
	`final` integer DEFAULT false NOT NULL,
	`attempt_id` integer,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `grading_failures_created` ON `grading_failures` (`created_at`);--> statement-breakpoint
ALTER TABLE `grading_jobs` ADD `lease_owner` text;--> statement-breakpoint
ALTER TABLE `grading_jobs` ADD `fence` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `grading_jobs` ADD `heartbeat_at` integer;--> statement-breakpoint
ALTER TABLE `grading_jobs` ADD `waiting` text;--> statement-breakpoint
ALTER TABLE `model_calls` ADD `state` text DEFAULT 'settled' NOT NULL;--> statement-breakpoint
ALTER TABLE `model_calls` ADD `idempotency_key` text;--> statement-breakpoint
ALTER TABLE `model_calls` ADD `estimate_micros` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `model_calls` ADD `provider_model` text;--> statement-breakpoint
ALTER TABLE `model_calls` ADD `owner` text;--> statement-breakpoint
CREATE UNIQUE INDEX `model_calls_idempotency` ON `model_calls` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `model_calls_open` ON `model_calls` (`state`) WHERE state <> 'settled';--> statement-breakpoint
ALTER TABLE `models` ADD `served_as` text;