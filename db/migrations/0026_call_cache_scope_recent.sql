DROP INDEX `call_cache_scope`;--> statement-breakpoint
CREATE INDEX `call_cache_scope_recent` ON `call_cache` (`scope_key`,`created_at`,`id`,`expires_at`);