// The one entry of admin.js: page-level styles (adopted: the page's CSP allows no inline style) and
// every element of the console.
import { css } from 'lit';
import { DoorstepAdmin } from './app';
import { DsCustomer, DsCustomerForm } from './views/customer';
import { DsCustomers } from './views/customers';
import { DsApiKeys, DsWebhooks } from './views/developers';
import { DsMessages } from './views/messages';
import { DsOverview } from './views/overview';
import { DsSettings } from './views/settings';
import { DsLanguageSwitch } from './language-switch';
import { DsSignIn } from './views/sign-in';
import { DsStaff } from './views/staff';
import { DsWork } from './views/work';

const page = css`
  html {
    background: #f4f4f5;
  }
  body {
    margin: 0;
  }
`.styleSheet;
if (page) document.adoptedStyleSheets = [...document.adoptedStyleSheets, page];

const elements: [string, CustomElementConstructor][] = [
  ['ds-language-switch', DsLanguageSwitch],
  ['ds-sign-in', DsSignIn],
  ['ds-overview', DsOverview],
  ['ds-customers', DsCustomers],
  ['ds-customer', DsCustomer],
  ['ds-customer-form', DsCustomerForm],
  ['ds-settings', DsSettings],
  ['ds-work', DsWork],
  ['ds-messages', DsMessages],
  ['ds-staff', DsStaff],
  ['ds-api-keys', DsApiKeys],
  ['ds-webhooks', DsWebhooks],
  ['doorstep-admin', DoorstepAdmin],
];
for (const [tag, element] of elements) if (!customElements.get(tag)) customElements.define(tag, element);
