ALTER TABLE `password_tokens` ADD `batch` text;--> statement-breakpoint
ALTER TABLE `password_tokens` ADD `seed` text;--> statement-breakpoint
CREATE INDEX `password_tokens_batch` ON `password_tokens` (`batch`);--> statement-breakpoint
ALTER TABLE `users` ADD `deactivated_at` integer;