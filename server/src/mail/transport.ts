// The one seam between the outbox worker and whatever delivers mail (Resend, the dev mailbox, a
// test fake). A transport either delivers a message or throws.

export interface MailMessage {
  /** The outbox id: the idempotency key, so a retried send is delivered once. */
  id: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface MailTransport {
  readonly name: string;
  /**
   * Whether the outbox body is erased once this transport has delivered it. True for a real
   * provider (no link token outlives the send); false for the dev mailbox, which plays the inbox.
   */
  readonly erasesBody: boolean;
  /** Delivers the message; throws on failure (a `MailError` with `permanent` to stop retries). */
  send(message: MailMessage): Promise<{ providerMessageId: string | null }>;
}

/** A failed send. `permanent` means retrying the same message cannot succeed (e.g. a bad address). */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'MailError';
  }
}
