import type { MessageSentDetail } from './details.js';

/** `portal-message-sent`: the customer sent the business a message. */
export class PortalMessageSentEvent extends CustomEvent<MessageSentDetail> {
  constructor(detail: MessageSentDetail) {
    super('portal-message-sent', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-message-sent': PortalMessageSentEvent;
  }
}
