CREATE TABLE `stripe_customer_defaults` (
	`business_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`stripe_customer_id` text NOT NULL,
	`payment_method_id` text,
	`as_of` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`business_id`, `customer_id`),
	FOREIGN KEY (`business_id`) REFERENCES `businesses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Carries the default kept on card rows over: for each customer, the card last recorded as default.
INSERT INTO `stripe_customer_defaults` (`business_id`, `customer_id`, `stripe_customer_id`, `payment_method_id`, `as_of`, `updated_at`)
SELECT `business_id`, `customer_id`, `stripe_customer_id`, `id`, max(`default_as_of`), `updated_at`
FROM `payment_methods` WHERE `is_default` = 1 AND `detached_at` IS NULL
GROUP BY `business_id`, `customer_id`;--> statement-breakpoint
ALTER TABLE `payment_methods` DROP COLUMN `is_default`;--> statement-breakpoint
ALTER TABLE `payment_methods` DROP COLUMN `default_as_of`;