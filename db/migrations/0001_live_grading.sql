CREATE TABLE `attempt_outputs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`attempt_id` integer NOT NULL,
	`test_input` text NOT NULL,
	`output` text,
	`output_tokens` integer,
	`target_call_id` integer,
	`checks` text,
	`verdict` text,
	`judge_call_id` integer,
	`judge_model` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`target_call_id`) REFERENCES `model_calls`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`judge_call_id`) REFERENCES `model_calls`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attempt_outputs_input` ON `attempt_outputs` (`attempt_id`,`test_input`);--> statement-breakpoint
CREATE TABLE `budget_reservations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer,
	`department_id` integer,
	`attempt_id` integer,
	`amount_micros` integer NOT NULL,
	`status` text DEFAULT 'held' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `budget_reservations_open` ON `budget_reservations` (`status`,`team_id`,`department_id`);--> statement-breakpoint
CREATE TABLE `budgets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scope` text NOT NULL,
	`scope_id` integer NOT NULL,
	`monthly_limit_micros` integer NOT NULL,
	`warn_percent` integer DEFAULT 80 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `budgets_scope` ON `budgets` (`scope`,`scope_id`);--> statement-breakpoint
CREATE TABLE `call_cache` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`exact_key` text NOT NULL,
	`scope_key` text NOT NULL,
	`model` text NOT NULL,
	`purpose` text NOT NULL,
	`prompt_text` text NOT NULL,
	`embedding` text,
	`response_text` text NOT NULL,
	`input_tokens` integer NOT NULL,
	`cached_input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_micros` integer NOT NULL,
	`hits` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `call_cache_exact` ON `call_cache` (`exact_key`);--> statement-breakpoint
CREATE INDEX `call_cache_scope` ON `call_cache` (`scope_key`,`expires_at`);--> statement-breakpoint
CREATE TABLE `grading_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`attempt_id` integer NOT NULL,
	`stage` text DEFAULT 'queued' NOT NULL,
	`tries` integer DEFAULT 0 NOT NULL,
	`next_run_at` integer NOT NULL,
	`lease_until` integer,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `grading_jobs_attempt_id_unique` ON `grading_jobs` (`attempt_id`);--> statement-breakpoint
CREATE INDEX `grading_jobs_due` ON `grading_jobs` (`stage`,`next_run_at`);--> statement-breakpoint
CREATE TABLE `models` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`tier` text NOT NULL,
	`encoding` text NOT NULL,
	`exact_tokenizer` integer NOT NULL,
	`context_window` integer NOT NULL,
	`input_micros_per_m` integer NOT NULL,
	`cached_input_micros_per_m` integer NOT NULL,
	`output_micros_per_m` integer NOT NULL,
	`price_as_of` text NOT NULL,
	`updated_at` integer,
	`updated_by` integer,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
