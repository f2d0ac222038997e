// The one entry of portal.js: defines every element (guarded against a second load). The portal
// itself (portal-app.js) is loaded by <customer-portal> only on pages that have one.
import { CustomerPortal } from './components/customer-portal/customer-portal.js';
import { PortalLogin } from './components/portal-login/portal-login.js';
import { PortalSignInForm } from './components/portal-sign-in-form/portal-sign-in-form.js';
import { define } from './internal/define.js';
import { publishLit } from './internal/shared-lit.js';
import { capturePortalToken } from './session/portal-token.js';

// Before anything else can make a request (SECURITY L9).
capturePortalToken();
publishLit();

define('portal-sign-in-form', PortalSignInForm);
define('portal-login', PortalLogin);
define('customer-portal', CustomerPortal);
