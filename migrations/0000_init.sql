CREATE TABLE `configurations` (
	`hash` text PRIMARY KEY NOT NULL,
	`json` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `coverage` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`snapshot_id` integer NOT NULL,
	`account_id` text NOT NULL,
	`region` text NOT NULL,
	`resource_type` text NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`source_reason` text,
	`api_calls` integer DEFAULT 0 NOT NULL,
	`item_count` integer DEFAULT 0 NOT NULL,
	`duration_ms` integer DEFAULT 0 NOT NULL,
	`error_code` text,
	`error` text,
	FOREIGN KEY (`snapshot_id`) REFERENCES `snapshots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `coverage_cell_idx` ON `coverage` (`snapshot_id`,`account_id`,`region`,`resource_type`);--> statement-breakpoint
CREATE TABLE `inventories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`include_tags` text DEFAULT '{}' NOT NULL,
	`exclude_tags` text DEFAULT '{}' NOT NULL,
	`active_snapshot_id` integer,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inventories_name_unique` ON `inventories` (`name`);--> statement-breakpoint
CREATE TABLE `resource_tags` (
	`resource_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`resource_id`, `key`),
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `resource_tags_key_value_idx` ON `resource_tags` (`key`,`value`);--> statement-breakpoint
CREATE TABLE `resources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`snapshot_id` integer NOT NULL,
	`arn` text NOT NULL,
	`type` text NOT NULL,
	`service` text NOT NULL,
	`resource_id` text NOT NULL,
	`name` text NOT NULL,
	`region` text NOT NULL,
	`account_id` text NOT NULL,
	`created_at` text,
	`source` text NOT NULL,
	`config_hash` text NOT NULL,
	`relationships` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`snapshot_id`) REFERENCES `snapshots`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`config_hash`) REFERENCES `configurations`(`hash`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `resources_snapshot_arn_idx` ON `resources` (`snapshot_id`,`arn`);--> statement-breakpoint
CREATE INDEX `resources_snapshot_type_idx` ON `resources` (`snapshot_id`,`type`,`region`);--> statement-breakpoint
CREATE INDEX `resources_arn_idx` ON `resources` (`arn`);--> statement-breakpoint
CREATE INDEX `resources_config_hash_idx` ON `resources` (`config_hash`);--> statement-breakpoint
CREATE TABLE `snapshots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`inventory_id` integer NOT NULL,
	`status` text NOT NULL,
	`account_id` text NOT NULL,
	`accounts` text DEFAULT '[]' NOT NULL,
	`regions` text NOT NULL,
	`resource_types` text NOT NULL,
	`filters` text DEFAULT '{}' NOT NULL,
	`use_config` integer DEFAULT true NOT NULL,
	`tool_version` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`resource_count` integer DEFAULT 0 NOT NULL,
	`gap_count` integer DEFAULT 0 NOT NULL,
	`api_calls` integer DEFAULT 0 NOT NULL,
	`error` text,
	`pid` integer,
	`host` text,
	FOREIGN KEY (`inventory_id`) REFERENCES `inventories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `snapshots_name_unique` ON `snapshots` (`name`);--> statement-breakpoint
CREATE INDEX `snapshots_inventory_idx` ON `snapshots` (`inventory_id`);--> statement-breakpoint
CREATE VIEW `v_coverage` AS select s.name as snapshot_name, s.id as snapshot_id, c.account_id, c.region, c.resource_type, c.status,
    c.source, c.source_reason, c.api_calls, c.item_count, c.duration_ms, c.error_code, c.error
  from coverage c join snapshots s on s.id = c.snapshot_id;--> statement-breakpoint
CREATE VIEW `v_resources` AS select s.name as snapshot_name, s.id as snapshot_id, r.id as resource_pk, r.arn, r.type, r.service,
    r.resource_id, r.name, r.region, r.account_id, r.created_at, r.source, r.config_hash,
    c.json as configuration,
    coalesce((select json_group_object(t.key, t.value) from resource_tags t where t.resource_id = r.id), '{}') as tags,
    r.relationships
  from resources r join snapshots s on s.id = r.snapshot_id join configurations c on c.hash = r.config_hash;--> statement-breakpoint
CREATE VIEW `v_snapshots` AS select s.id, s.name, i.name as inventory, s.status, s.account_id, s.accounts, s.regions, s.resource_types,
    s.filters, s.use_config, s.tool_version, s.started_at, s.finished_at, s.resource_count, s.gap_count,
    s.api_calls, s.error, coalesce(i.active_snapshot_id = s.id, 0) as is_active
  from snapshots s join inventories i on i.id = s.inventory_id;--> statement-breakpoint
CREATE VIEW `v_resource_tags` AS select s.name as snapshot_name, s.id as snapshot_id, r.arn, r.type, r.region, r.account_id, t.key, t.value
  from resource_tags t join resources r on r.id = t.resource_id join snapshots s on s.id = r.snapshot_id;