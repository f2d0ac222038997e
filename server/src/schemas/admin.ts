// Request shapes of the admin API. Objects are strict (an unknown field is an error, so a typo or
// an `amount` the server would ignore never passes silently) and every string and list is bounded.
import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../store/webhook-events';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const nullableText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).nullable();
export const emailAddress = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an email address'))
  .transform((v) => v.toLowerCase());
const httpUrl = z.string().trim().max(2000).pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }));
const origin = z
  .string()
  .trim()
  .max(300)
  .refine((value) => {
    try {
      const url = new URL(value);
      return /^https?:$/.test(url.protocol) && url.origin === value;
    } catch {
      return false;
    }
  }, 'must be an exact origin such as https://www.example.com (scheme, host and port only, no path or trailing slash)');
const externalId = text(200);
const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time such as 2026-03-01T09:00:00-05:00' });
const isoDate = z.iso.date('must be a date such as 2026-03-31');
const id = text(64);
const amount = z.number().int('must be a whole number of minor units (cents)').min(-1e10).max(1e10);
const nonNegativeAmount = z.number().int('must be a whole number of minor units (cents)').min(0).max(1e10);
const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO currency code such as usd')
  .transform((v) => v.toLowerCase());

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});

export const customerListQuery = pageQuery.extend({ q: z.string().trim().max(200).optional() });
export const workListQuery = pageQuery.extend({ customerId: id.optional() });

// ---- Settings ----

export const settingsPatch = z.strictObject({
  name: text(120),
  logoUrl: httpUrl.nullable(),
  phone: nullableText(40),
  email: emailAddress.nullable(),
  address: nullableText(300),
  brandColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #0f766e').transform((v) => v.toLowerCase()),
  portalUrl: httpUrl.nullable(),
  allowedOrigins: z.array(origin).max(20, 'at most 20 origins'),
  notificationEmail: emailAddress.nullable(),
  language: z.enum(['en', 'es']),
  inviteLinkTtlDays: z.number().int().min(1, 'must be 1 to 7 days').max(7, 'must be 1 to 7 days'),
  loginLinkTtlMinutes: z.number().int().min(15, 'must be 15 to 60 minutes').max(60, 'must be 15 to 60 minutes'),
  autoInvite: z.boolean(),
  messagingEnabled: z.boolean(),
  paymentsEnabled: z.boolean(),
}).partial();

// ---- Customers ----

const emailEntry = z.strictObject({ address: emailAddress, primary: z.boolean().optional() });
const postalAddress = z.strictObject({
  label: text(60).optional(),
  line1: text(200),
  line2: text(200).optional(),
  city: text(100).optional(),
  region: text(100).optional(),
  postalCode: text(20).optional(),
  country: text(60).optional(),
});

const customerFields = {
  name: text(200),
  email: emailAddress.optional(),
  emails: z.array(emailEntry).max(10, 'at most 10 emails').optional(),
  phone: nullableText(40).optional(),
  addresses: z.array(postalAddress).max(10, 'at most 10 addresses').optional(),
  externalId: externalId.nullable().optional(),
  disabled: z.boolean().optional(),
};

export const customerCreate = z.strictObject(customerFields);
export const customerPatch = z.strictObject({ ...customerFields, name: customerFields.name.optional() });
export type CustomerInput = z.infer<typeof customerPatch>;

// ---- Appointments ----

const appointmentStatus = z.enum(['scheduled', 'in_progress', 'completed', 'canceled']);
const appointmentFields = {
  startsAt: isoTime,
  endsAt: isoTime.nullable().optional(),
  arrivalWindowMinutes: z.number().int().min(0).max(1440).nullable().optional(),
  description: text(2000),
  address: nullableText(300).optional(),
  technicians: z.array(text(100)).max(20, 'at most 20 technicians').optional(),
  status: appointmentStatus.optional(),
  externalId: externalId.nullable().optional(),
};
export const appointmentCreate = z.strictObject({ customerId: id, ...appointmentFields });
export const appointmentPatch = z.strictObject(appointmentFields).partial();
export type AppointmentInput = z.infer<typeof appointmentPatch>;

// ---- Invoices and estimates ----

const lineItem = z.strictObject({
  description: text(500),
  quantity: z.number().positive('must be more than 0').max(1e6),
  unitAmount: amount,
});
const lineItems = z.array(lineItem).min(1, 'at least one line item').max(100, 'at most 100 line items');

const invoiceFields = {
  number: text(40),
  currency,
  lineItems,
  taxAmount: nonNegativeAmount.optional(),
  amountPaid: nonNegativeAmount.optional(),
  dueDate: isoDate.nullable().optional(),
  status: z.enum(['draft', 'open', 'paid', 'void']).optional(),
  externalId: externalId.nullable().optional(),
};
export const invoiceCreate = z.strictObject({ customerId: id, ...invoiceFields });
export const invoicePatch = z.strictObject(invoiceFields).omit({ currency: true }).partial();
export type InvoiceInput = z.infer<typeof invoicePatch> & { currency?: string };

const estimateOption = z.strictObject({
  name: text(200),
  description: text(2000).optional(),
  lineItems,
  taxAmount: nonNegativeAmount.optional(),
});
const estimateFields = {
  number: text(40),
  currency,
  options: z.array(estimateOption).min(1, 'at least one option').max(10, 'at most 10 options'),
  expiresAt: isoTime.nullable().optional(),
  status: z.enum(['open', 'approved', 'declined', 'expired']).optional(),
  externalId: externalId.nullable().optional(),
};
export const estimateCreate = z.strictObject({ customerId: id, ...estimateFields });
export const estimatePatch = z.strictObject(estimateFields).omit({ currency: true }).partial();
export type EstimateInput = z.infer<typeof estimatePatch> & { currency?: string };

// ---- Invitations ----

export const invitationCreate = z.strictObject({ email: emailAddress.optional() });
export const bulkInvitation = z.strictObject({
  customerIds: z.array(id).min(1, 'select at least one customer').max(5000, 'at most 5000 customers at once'),
  dryRun: z.boolean().optional(),
  /** true: send in the background (202 and a job to poll), as is always done over BULK_SYNC_LIMIT customers. */
  background: z.boolean().optional(),
});

// ---- Webhooks ----

export const webhookCreate = z.strictObject({
  /** Checked further by the service (https, public host), which knows whether this is development. */
  url: text(2000),
  /** Omitted or empty: every event type. */
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, { message: `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` }))
    .max(20, 'at most 20 events')
    .optional(),
  description: nullableText(500).optional(),
});
/** Sending a test event takes no options; an empty object (or no body) is what clients send. */
export const webhookTest = z.strictObject({});
