// Delivery through Resend with the real SDK. The outbox id is the idempotency key, so a send
// retried after a timeout or a crash is delivered once.
import { Resend } from 'resend';
import { MailError, type MailTransport } from './transport';

export interface ResendTransportOptions {
  apiKey: string;
  /** Another API origin, e.g. a local fake in tests. Unset: `RESEND_BASE_URL`, else api.resend.com. */
  baseUrl?: string | undefined;
  /** Gives up on one request after this long (the SDK has no timeout of its own). Keep it below the worker's lock. */
  timeoutMs?: number | undefined;
}

/** Statuses where sending the same request again cannot succeed (Resend's validation errors). */
const PERMANENT_STATUSES = new Set([400, 422]);

export function createResendTransport({ apiKey, baseUrl, timeoutMs = 30_000 }: ResendTransportOptions): MailTransport {
  const resend = new Resend(apiKey, baseUrl ? { baseUrl } : undefined);
  return {
    name: 'resend',
    erasesBody: true,
    async send(message) {
      // The SDK never throws on API or network errors: it answers `{ data, error }`.
      const { data, error } = await resend.emails.send(
        { from: message.from, to: message.to, subject: message.subject, html: message.html, text: message.text },
        { idempotencyKey: message.id, signal: AbortSignal.timeout(timeoutMs) },
      );
      if (error) {
        const status = error.statusCode ?? null;
        throw new MailError(`Resend ${error.name}${status ? ` (${status})` : ''}: ${error.message}`, status !== null && PERMANENT_STATUSES.has(status));
      }
      return { providerMessageId: data?.id ?? null };
    },
  };
}
