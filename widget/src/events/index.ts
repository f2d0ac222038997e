// Every event Doorstep's elements fire: `portal-`-prefixed, bubbling and composed, with a typed detail.
export type * from './details.js';
export { PortalSignedInEvent } from './portal-signed-in.js';
export { PortalSignedOutEvent } from './portal-signed-out.js';
export { PortalLoginLinkSentEvent } from './portal-login-link-sent.js';
export { PortalInvoicePaidEvent } from './portal-invoice-paid.js';
export { PortalEstimateApprovedEvent } from './portal-estimate-approved.js';
export { PortalEstimateDeclinedEvent } from './portal-estimate-declined.js';
export { PortalMessageSentEvent } from './portal-message-sent.js';
