CREATE TABLE `assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`course_id` integer NOT NULL,
	`team_id` integer,
	`user_id` integer,
	`due_at` integer NOT NULL,
	`exercise_ids` text NOT NULL,
	`assigned_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`removed_at` integer,
	`removed_by` integer,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assigned_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`removed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "assignments_one_target" CHECK((team_id is null) <> (user_id is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assignments_team_course` ON `assignments` (`team_id`,`course_id`) WHERE removed_at is null and team_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `assignments_user_course` ON `assignments` (`user_id`,`course_id`) WHERE removed_at is null and user_id is not null;--> statement-breakpoint
CREATE TABLE `draft_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`exercise_id` integer NOT NULL,
	`prompt` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`exercise_id`) REFERENCES `exercises`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `draft_history_user_exercise` ON `draft_history` (`user_id`,`exercise_id`,`created_at`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_xapi_statements` (
	`id` text PRIMARY KEY NOT NULL,
	`attempt_id` integer,
	`statement` text NOT NULL,
	`sent_at` integer,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_xapi_statements`("id", "attempt_id", "statement", "sent_at", "last_error", "created_at") SELECT "id", "attempt_id", "statement", "sent_at", "last_error", "created_at" FROM `xapi_statements`;--> statement-breakpoint
DROP TABLE `xapi_statements`;--> statement-breakpoint
ALTER TABLE `__new_xapi_statements` RENAME TO `xapi_statements`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `xapi_statements_attempt_id_unique` ON `xapi_statements` (`attempt_id`);