import type { LoginLinkSentDetail } from './details.js';

/** `portal-login-link-sent`: a sign-in link was requested for an email address. */
export class PortalLoginLinkSentEvent extends CustomEvent<LoginLinkSentDetail> {
  constructor(detail: LoginLinkSentDetail) {
    super('portal-login-link-sent', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-login-link-sent': PortalLoginLinkSentEvent;
  }
}
