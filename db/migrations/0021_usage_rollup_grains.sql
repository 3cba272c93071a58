CREATE TABLE `usage_department_rollup` (
	`grain` text NOT NULL,
	`period_start` integer NOT NULL,
	`department_id` integer NOT NULL,
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
	PRIMARY KEY(`grain`, `period_start`, `department_id`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Filled from usage_team_rollup once; usage/allocate.ts keeps them together from then on. Week rows start on
-- Monday (UTC): 1970-01-05 was a Monday, 345600000 ms after the epoch.
INSERT INTO `usage_department_rollup` (grain, period_start, department_id, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, metered_cost_micros, metered_input_tokens, metered_cached_input_tokens, metered_output_tokens, frontier_cost_micros)
SELECT grain, period_start, department_id, sum(calls), sum(input_tokens), sum(cached_input_tokens), sum(output_tokens), sum(cost_micros), sum(metered_cost_micros), sum(metered_input_tokens), sum(metered_cached_input_tokens), sum(metered_output_tokens), sum(frontier_cost_micros)
  FROM `usage_team_rollup` GROUP BY grain, period_start, department_id;
--> statement-breakpoint
INSERT INTO `usage_team_rollup` (grain, period_start, department_id, team_id, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, metered_cost_micros, metered_input_tokens, metered_cached_input_tokens, metered_output_tokens, frontier_cost_micros)
SELECT 'week', ((period_start - 345600000) / 604800000) * 604800000 + 345600000 AS week, department_id, team_id, sum(calls), sum(input_tokens), sum(cached_input_tokens), sum(output_tokens), sum(cost_micros), sum(metered_cost_micros), sum(metered_input_tokens), sum(metered_cached_input_tokens), sum(metered_output_tokens), sum(frontier_cost_micros)
  FROM `usage_team_rollup` WHERE grain = 'day' GROUP BY week, department_id, team_id;
