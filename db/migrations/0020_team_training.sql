CREATE TABLE `team_training` (
	`team_id` integer PRIMARY KEY NOT NULL,
	`trained_at` integer,
	`members` integer NOT NULL,
	`completed` integer NOT NULL
);
