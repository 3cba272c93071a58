CREATE TABLE `usage_cost_reports` (
	`source` text NOT NULL,
	`day` integer NOT NULL,
	`scope` text NOT NULL,
	`item` text NOT NULL,
	`amount_micros` integer NOT NULL,
	`import_id` integer,
	PRIMARY KEY(`source`, `day`, `scope`, `item`)
);
--> statement-breakpoint
CREATE TABLE `usage_pulls` (
	`source` text PRIMARY KEY NOT NULL,
	`window_start` integer,
	`window_end` integer,
	`stage` integer DEFAULT 0 NOT NULL,
	`cursor` text,
	`pulled_until` integer,
	`last_run_at` integer,
	`last_success_at` integer,
	`last_error` text,
	`last_import_id` integer
);
