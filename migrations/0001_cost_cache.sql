CREATE TABLE `cost_cache` (
	`key` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`operation` text NOT NULL,
	`request` text NOT NULL,
	`response` text NOT NULL,
	`requests` integer NOT NULL,
	`fetched_at` text NOT NULL,
	`expires_at` text
);
--> statement-breakpoint
CREATE INDEX `cost_cache_expires_idx` ON `cost_cache` (`expires_at`);