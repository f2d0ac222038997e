// The entry of portal-app.js, the chunk <customer-portal> loads: the portal's shell and views.
// It uses portal.js's Lit and its <portal-sign-in-form>, so it only runs after portal.js.
import { PortalApp } from './components/portal-app/portal-app.js';
import { PortalAppointments } from './components/portal-appointments/portal-appointments.js';
import { PortalEstimates } from './components/portal-estimates/portal-estimates.js';
import { PortalInvoices } from './components/portal-invoices/portal-invoices.js';
import { PortalMessages } from './components/portal-messages/portal-messages.js';
import { PortalPaymentMethods } from './components/portal-payment-methods/portal-payment-methods.js';
import { define } from './internal/define.js';

define('portal-appointments', PortalAppointments);
define('portal-invoices', PortalInvoices);
define('portal-estimates', PortalEstimates);
define('portal-messages', PortalMessages);
define('portal-payment-methods', PortalPaymentMethods);
// Last: <customer-portal> waits for this one, and by then the views are defined too.
define('portal-app', PortalApp);
