CREATE TABLE `usage_budgets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scope` text NOT NULL,
	`scope_id` integer NOT NULL,
	`monthly_limit_micros` integer NOT NULL,
	`warn_percent` integer DEFAULT 80 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_budgets_scope` ON `usage_budgets` (`scope`,`scope_id`);--> statement-breakpoint
CREATE TABLE `usage_rollup` (
	`grain` text NOT NULL,
	`period_start` integer NOT NULL,
	`department_id` integer NOT NULL,
	`team_id` integer NOT NULL,
	`source` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`tier` text NOT NULL,
	`calls` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`cached_input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_micros` integer NOT NULL,
	`metered_cost_micros` integer NOT NULL,
	`metered_input_tokens` integer NOT NULL,
	`metered_cached_input_tokens` integer NOT NULL,
	`metered_output_tokens` integer NOT NULL,
	PRIMARY KEY(`grain`, `period_start`, `department_id`, `team_id`, `source`, `provider`, `model`, `tier`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `usage_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`position` integer NOT NULL,
	`field` text NOT NULL,
	`match` text NOT NULL,
	`value` text NOT NULL,
	`target_kind` text NOT NULL,
	`team_id` integer,
	`department_id` integer,
	`shared_team_ids` text,
	`split_by` text,
	`created_by` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_rules_position` ON `usage_rules` (`position`);--> statement-breakpoint
CREATE TABLE `usage_team_rollup` (
	`grain` text NOT NULL,
	`period_start` integer NOT NULL,
	`department_id` integer NOT NULL,
	`team_id` integer NOT NULL,
	`calls` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`cached_input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_micros` integer NOT NULL,
	`metered_cost_micros` integer NOT NULL,
	`metered_input_tokens` integer NOT NULL,
	`metered_cached_input_tokens` integer NOT NULL,
	`metered_output_tokens` integer NOT NULL,
	`frontier_cost_micros` integer NOT NULL,
	PRIMARY KEY(`grain`, `period_start`, `department_id`, `team_id`)
) WITHOUT ROWID;
