CREATE TABLE `air_observations` (
	`station_id` integer NOT NULL,
	`observed_at` integer NOT NULL,
	`source` text NOT NULL,
	`pm10` real,
	`pm25` real,
	`o3` real,
	`no2` real,
	`co` real,
	`so2` real,
	`pm10_flag` text,
	`pm25_flag` text,
	`o3_flag` text,
	`no2_flag` text,
	`co_flag` text,
	`so2_flag` text,
	`first_ingested_at` integer NOT NULL,
	`last_ingested_at` integer NOT NULL,
	`revision_count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`station_id`, `observed_at`, `source`),
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `air_observations_observed_at` ON `air_observations` (`observed_at`);--> statement-breakpoint
CREATE TABLE `backfills` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`target` text NOT NULL,
	`range_start` integer NOT NULL,
	`range_end` integer NOT NULL,
	`cursor_at` integer NOT NULL,
	`status` text NOT NULL,
	`rows_written` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `backfills_request_unique` ON `backfills` (`source`,`target`,`range_start`,`range_end`);--> statement-breakpoint
CREATE TABLE `deferred_hours` (
	`source` text NOT NULL,
	`target` text NOT NULL,
	`hour_at` integer NOT NULL,
	`reason` text NOT NULL,
	`deferred_at` integer NOT NULL,
	PRIMARY KEY(`source`, `target`, `hour_at`)
);
--> statement-breakpoint
CREATE TABLE `forecasts` (
	`station_id` integer NOT NULL,
	`issued_at` integer NOT NULL,
	`target_at` integer NOT NULL,
	`horizon_hours` integer NOT NULL,
	`pm25` real,
	`pm10` real,
	`model_version` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`station_id`, `issued_at`, `horizon_hours`),
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`model_version`) REFERENCES `models`(`version`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `forecasts_target_at` ON `forecasts` (`target_at`);--> statement-breakpoint
CREATE INDEX `forecasts_model_version` ON `forecasts` (`model_version`);--> statement-breakpoint
CREATE TABLE `ingest_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`target` text,
	`range_start` integer,
	`range_end` integer,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`status` text NOT NULL,
	`http_status` integer,
	`provider_code` text,
	`rows_read` integer DEFAULT 0 NOT NULL,
	`rows_inserted` integer DEFAULT 0 NOT NULL,
	`rows_updated` integer DEFAULT 0 NOT NULL,
	`rows_unchanged` integer DEFAULT 0 NOT NULL,
	`rows_duplicate` integer DEFAULT 0 NOT NULL,
	`rows_missing` integer DEFAULT 0 NOT NULL,
	`rows_rejected` integer DEFAULT 0 NOT NULL,
	`duration_ms` integer,
	`error_class` text,
	`error_message` text
);
--> statement-breakpoint
CREATE INDEX `ingest_runs_source_started` ON `ingest_runs` (`source`,`started_at`);--> statement-breakpoint
CREATE TABLE `models` (
	`version` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`status` text NOT NULL,
	`artifact_path` text NOT NULL,
	`features` text NOT NULL,
	`horizons` text NOT NULL,
	`targets` text NOT NULL,
	`station_ids` text NOT NULL,
	`train_from` integer NOT NULL,
	`train_to` integer NOT NULL,
	`test_from` integer NOT NULL,
	`test_to` integer NOT NULL,
	`metrics` text NOT NULL,
	`score` real NOT NULL,
	`backend` text NOT NULL,
	`weights_sha256` text NOT NULL,
	`promoted_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `models_single_champion` ON `models` (`status`) WHERE status = 'champion';--> statement-breakpoint
CREATE TABLE `source_blocks` (
	`source` text PRIMARY KEY NOT NULL,
	`blocked_until` integer NOT NULL,
	`provider_code` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text NOT NULL,
	`provider_code` text NOT NULL,
	`name` text NOT NULL,
	`kind` text,
	`latitude` real,
	`longitude` real,
	`address` text,
	`weather_station_code` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stations_provider_code_unique` ON `stations` (`provider`,`provider_code`);--> statement-breakpoint
CREATE TABLE `weather_observations` (
	`station_id` integer NOT NULL,
	`observed_at` integer NOT NULL,
	`source` text NOT NULL,
	`temperature` real,
	`precipitation` real,
	`wind_speed` real,
	`wind_direction` real,
	`humidity` real,
	`vapor_pressure` real,
	`dew_point` real,
	`station_pressure` real,
	`sea_level_pressure` real,
	`sunshine` real,
	`solar_radiation` real,
	`snow_depth` real,
	`ground_temperature` real,
	`temperature_qc` integer,
	`precipitation_qc` integer,
	`wind_speed_qc` integer,
	`wind_direction_qc` integer,
	`humidity_qc` integer,
	`station_pressure_qc` integer,
	`sea_level_pressure_qc` integer,
	`sunshine_qc` integer,
	`ground_temperature_qc` integer,
	`first_ingested_at` integer NOT NULL,
	`last_ingested_at` integer NOT NULL,
	`revision_count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`station_id`, `observed_at`, `source`),
	FOREIGN KEY (`station_id`) REFERENCES `stations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `weather_observations_observed_at` ON `weather_observations` (`observed_at`);