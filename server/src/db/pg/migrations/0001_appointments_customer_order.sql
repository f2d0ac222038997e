DROP INDEX "appointments_customer_start";--> statement-breakpoint
CREATE INDEX "appointments_customer_start" ON "appointments" USING btree ("business_id","customer_id","starts_at","id");