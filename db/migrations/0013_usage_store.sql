CREATE TABLE `usage_dim_daily` (
	`day` integer NOT NULL,
	`dim_id` integer NOT NULL,
	`records` integer NOT NULL,
	`calls` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`cached_input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_micros` integer NOT NULL,
	`metered_cost_micros` integer NOT NULL,
	`metered_input_tokens` integer NOT NULL,
	`metered_cached_input_tokens` integer NOT NULL,
	`metered_output_tokens` integer NOT NULL,
	PRIMARY KEY(`day`, `dim_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `usage_dims` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dim_key` text NOT NULL,
	`source` text NOT NULL,
	`provider` text NOT NULL,
	`service` text NOT NULL,
	`account` text,
	`project` text,
	`api_key` text,
	`workspace` text,
	`user` text,
	`model` text NOT NULL,
	`tier` text NOT NULL,
	`tags` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_dims_key` ON `usage_dims` (`dim_key`);--> statement-breakpoint
CREATE TABLE `usage_dirty_days` (
	`day` integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `usage_imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`origin` text NOT NULL,
	`policy` text NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`bytes_total` integer,
	`bytes_read` integer DEFAULT 0 NOT NULL,
	`rows_read` integer DEFAULT 0 NOT NULL,
	`rows_added` integer DEFAULT 0 NOT NULL,
	`rows_updated` integer DEFAULT 0 NOT NULL,
	`rows_unchanged` integer DEFAULT 0 NOT NULL,
	`rows_skipped` integer DEFAULT 0 NOT NULL,
	`rows_bad` integer DEFAULT 0 NOT NULL,
	`errors` text DEFAULT '[]' NOT NULL,
	`message` text,
	`created_by` integer,
	`started_at` integer NOT NULL,
	`beat_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `usage_imports_started` ON `usage_imports` (`started_at`);--> statement-breakpoint
CREATE TABLE `usage_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`record_key` text NOT NULL,
	`dim_id` integer NOT NULL,
	`import_id` integer,
	`period_start` integer NOT NULL,
	`period_end` integer NOT NULL,
	`calls` integer,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`cached_input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cost_micros` integer NOT NULL,
	`list_cost_micros` integer,
	FOREIGN KEY (`dim_id`) REFERENCES `usage_dims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_records_key` ON `usage_records` (`source`,`record_key`);