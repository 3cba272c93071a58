DROP INDEX `model_calls_department`;--> statement-breakpoint
DROP INDEX `model_calls_team`;--> statement-breakpoint
CREATE INDEX `model_calls_department` ON `model_calls` (`department_id`,`created_at`,`cost_micros`);--> statement-breakpoint
CREATE INDEX `model_calls_team` ON `model_calls` (`team_id`,`created_at`,`cost_micros`);