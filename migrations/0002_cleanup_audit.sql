CREATE TABLE `cleanup_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`item_key` text NOT NULL,
	`kind` text NOT NULL,
	`wave` integer NOT NULL,
	`arn` text NOT NULL,
	`type` text NOT NULL,
	`region` text NOT NULL,
	`account_id` text NOT NULL,
	`resource_id` text NOT NULL,
	`name` text NOT NULL,
	`result` text NOT NULL,
	`reason` text,
	`blocked_by` text,
	`protected_by` text,
	`includes` text DEFAULT '[]' NOT NULL,
	`before_state` text,
	`steps` text DEFAULT '[]' NOT NULL,
	`started_at` text,
	`finished_at` text,
	FOREIGN KEY (`run_id`) REFERENCES `cleanup_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cleanup_items_run_key_idx` ON `cleanup_items` (`run_id`,`item_key`);--> statement-breakpoint
CREATE INDEX `cleanup_items_arn_idx` ON `cleanup_items` (`arn`);--> statement-breakpoint
CREATE TABLE `cleanup_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`plan_id` text NOT NULL,
	`plan_hash` text NOT NULL,
	`mode` text NOT NULL,
	`account_id` text NOT NULL,
	`caller_arn` text NOT NULL,
	`baseline_snapshot` text,
	`current_snapshot` text,
	`plan_created_at` text NOT NULL,
	`plan` text NOT NULL,
	`status` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`items` integer DEFAULT 0 NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`scheduled` integer DEFAULT 0 NOT NULL,
	`gone` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`interrupted` integer DEFAULT 0 NOT NULL,
	`not_attempted` integer DEFAULT 0 NOT NULL,
	`log_file` text,
	`tool_version` text NOT NULL,
	`pid` integer,
	`host` text
);
--> statement-breakpoint
CREATE INDEX `cleanup_runs_account_started_idx` ON `cleanup_runs` (`account_id`,`started_at`);