// The one entry of portal.js: defines every element, guarded against a second load.
import { define } from './internal/define.js';
import { PortalLogin } from './components/portal-login/portal-login.js';

define('portal-login', PortalLogin);
