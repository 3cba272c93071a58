-- Both rollup tables are WITHOUT ROWID (added by hand; drizzle cannot declare it): rows are stored in
-- primary-key order, so a period's rows are one contiguous range, read without a lookup per row.
CREATE TABLE `best_scores` (
	`period` text NOT NULL,
	`period_start` integer NOT NULL,
	`user_id` integer NOT NULL,
	`exercise_id` integer NOT NULL,
	`best_score` integer NOT NULL,
	`passed` integer NOT NULL,
	`best_normalised` integer,
	PRIMARY KEY(`period`, `period_start`, `user_id`, `exercise_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`exercise_id`) REFERENCES `exercises`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `ledger_rollup` (
	`grain` text NOT NULL,
	`period_start` integer NOT NULL,
	`department_id` integer NOT NULL,
	`team_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`tier` text NOT NULL,
	`purpose` text NOT NULL,
	`calls` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`cached_input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_micros` integer NOT NULL,
	`cache_hits` integer NOT NULL,
	`saved_micros` integer NOT NULL,
	PRIMARY KEY(`grain`, `period_start`, `department_id`, `team_id`, `course_id`, `provider`, `model`, `tier`, `purpose`)
) WITHOUT ROWID;
