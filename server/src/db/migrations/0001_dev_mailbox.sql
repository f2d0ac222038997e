CREATE TABLE `dev_mailbox` (
	`id` text PRIMARY KEY NOT NULL,
	`outbox_id` text NOT NULL,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dev_mailbox_created` ON `dev_mailbox` (`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `dev_mailbox_outbox` ON `dev_mailbox` (`outbox_id`);