CREATE TABLE `payment_methods` (
	`business_id` text NOT NULL,
	`id` text NOT NULL,
	`customer_id` text NOT NULL,
	`stripe_customer_id` text NOT NULL,
	`brand` text,
	`last4` text,
	`exp_month` integer,
	`exp_year` integer,
	`is_default` integer DEFAULT false NOT NULL,
	`card_as_of` integer DEFAULT 0 NOT NULL,
	`default_as_of` integer DEFAULT 0 NOT NULL,
	`detached_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`business_id`, `id`),
	FOREIGN KEY (`business_id`) REFERENCES `businesses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `payment_methods_customer` ON `payment_methods` (`business_id`,`customer_id`);