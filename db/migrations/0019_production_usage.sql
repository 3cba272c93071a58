CREATE TABLE `team_training` (
	`team_id` integer PRIMARY KEY NOT NULL,
	`trained_at` integer,
	`members` integer NOT NULL,
	`completed` integer NOT NULL
);
--> statement-breakpoint
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
--> statement-breakpoint
CREATE TABLE `usage_use_rollup` (
	`grain` text NOT NULL,
	`period_start` integer NOT NULL,
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
	PRIMARY KEY(`grain`, `period_start`, `source`, `provider`, `model`, `tier`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Filled from usage_rollup once; usage/allocate.ts keeps the two together from then on.
INSERT INTO `usage_use_rollup` (grain, period_start, source, provider, model, tier, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, metered_cost_micros, metered_input_tokens, metered_cached_input_tokens, metered_output_tokens)
SELECT grain, period_start, source, provider, model, tier, sum(calls), sum(input_tokens), sum(cached_input_tokens), sum(output_tokens), sum(cost_micros), sum(metered_cost_micros), sum(metered_input_tokens), sum(metered_cached_input_tokens), sum(metered_output_tokens)
  FROM `usage_rollup` GROUP BY grain, period_start, source, provider, model, tier;
