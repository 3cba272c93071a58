ALTER TABLE `xapi_statements` ADD `user_id` integer REFERENCES users(id);--> statement-breakpoint
CREATE INDEX `xapi_statements_user` ON `xapi_statements` (`user_id`);