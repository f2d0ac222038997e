// Delivery for development without a Resend key: the message is stored in the dev mailbox
// (browsable at /dev/mail) and announced on the console with its links, so a developer can click
// the sign-in link. The outbox keeps the body: this mailbox plays the customer's inbox (SECURITY L1).
import type { Clock } from '../lib/clock';
import { newId } from '../lib/crypto';
import type { Store } from '../store/types';
import type { MailTransport } from './transport';

export interface DevMailboxOptions {
  /** Where the one-line notice goes; console.log by default. */
  log?: ((line: string) => void) | undefined;
}

/** Every http(s) URL in a plain-text body, in order, without trailing punctuation, once each. */
export function findUrls(text: string): string[] {
  const urls = (text.match(/https?:\/\/[^\s<>"'()[\]{}]+/g) ?? []).map((url) => url.replace(/[.,;:!?]+$/, ''));
  return [...new Set(urls)];
}

export function createDevMailboxTransport(store: Pick<Store, 'saveDevMail'>, clock: Clock, options: DevMailboxOptions = {}): MailTransport {
  const log = options.log ?? ((line: string) => console.log(line));
  return {
    name: 'dev-mailbox',
    erasesBody: false,
    async send(message) {
      const id = newId('dml');
      await store.saveDevMail({ id, outboxId: message.id, to: message.to, subject: message.subject, html: message.html, text: message.text, createdAt: clock.now() });
      const links = findUrls(message.text);
      log(`[dev mail] to ${message.to}: ${JSON.stringify(message.subject)}${links.length ? ` ${links.join(' ')}` : ''}`);
      return { providerMessageId: id };
    },
  };
}
