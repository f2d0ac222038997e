import { css } from 'lit';

export default css`
  :host {
    display: block;
  }

  .base {
    container: portal / inline-size;
  }

  .center {
    display: grid;
    gap: 1em;
    justify-items: start;
    padding: 2em 0;
  }

  .muted {
    color: var(--_muted);
  }

  /* Signing in */

  .sign-in {
    display: grid;
    gap: 1em;
    max-width: 30em;
    margin: 0 auto;
    padding: 2em 1.75em;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 1.5);
    background: var(--_surface);
  }

  .sign-in h2 {
    font-size: 1.5em;
  }

  .sign-in-logo {
    max-width: 10em;
    max-height: 3.5em;
    object-fit: contain;
  }

  .continue {
    justify-self: start;
    min-width: 10em;
  }

  /* Signed in */

  .portal {
    display: grid;
    gap: 1.5em;
  }

  .header {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto;
    grid-template-areas: 'logo name menu' 'logo contact menu';
    align-items: center;
    gap: 0.25em 1em;
    padding-bottom: 1.25em;
    border-bottom: 1px solid var(--_border);
  }

  .logo {
    grid-area: logo;
    width: 3.5em;
    height: 3.5em;
    object-fit: contain;
    border-radius: var(--_radius);
  }

  .business-name {
    grid-area: name;
    align-self: end;
    font-size: 1.3125em;
    font-weight: 700;
    line-height: 1.2;
    overflow-wrap: anywhere;
  }

  .contact {
    grid-area: contact;
    align-self: start;
    display: flex;
    flex-wrap: wrap;
    gap: 0.125em 1.25em;
    color: var(--_muted);
    font-size: 0.9375em;
  }

  .contact li {
    overflow-wrap: anywhere;
  }

  .menu-button {
    grid-area: menu;
    display: none;
    align-items: center;
    gap: 0.5em;
    min-height: 2.75em;
    padding: 0.5em 0.875em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    font-weight: 600;
    cursor: pointer;
  }

  .menu-button svg {
    width: 1.125em;
    height: 1.125em;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    fill: none;
  }

  .menu-button[aria-expanded='true'] {
    background: var(--_subtle);
  }

  .layout {
    display: grid;
    grid-template-columns: 14em minmax(0, 1fr);
    gap: 2.5em;
    align-items: start;
  }

  .nav-panel {
    display: grid;
    gap: 1.5em;
  }

  .nav-list {
    display: grid;
    gap: 0.25em;
  }

  .nav-item {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5em;
    width: 100%;
    min-height: 2.75em;
    padding: 0.5em 0.875em;
    border: 0;
    border-radius: var(--_radius);
    background: transparent;
    color: var(--_text);
    font-weight: 500;
    text-align: start;
    cursor: pointer;
  }

  .nav-item:hover {
    background: var(--_subtle);
  }

  .nav-item[aria-current='page'] {
    background: color-mix(in srgb, var(--_primary) 12%, var(--_surface));
    box-shadow: inset 0.1875em 0 0 var(--_primary);
    font-weight: 650;
  }

  .badge {
    display: inline-grid;
    place-items: center;
    min-width: 1.625em;
    height: 1.625em;
    padding: 0 0.5em;
    border-radius: 999em;
    background: var(--_primary);
    color: var(--_on-primary);
    font-size: 0.8125em;
    font-weight: 700;
    line-height: 1;
  }

  .nav-footer {
    display: grid;
    gap: 0.75em;
    padding-top: 1.25em;
    border-top: 1px solid var(--_border);
  }

  .nav-footer .button {
    width: 100%;
  }

  .signed-in-as {
    color: var(--_muted);
    font-size: 0.875em;
    overflow-wrap: anywhere;
  }

  .content {
    min-width: 0;
  }

  /* Narrow hosts (a phone, a sidebar): the navigation folds into a menu under the header. */
  @container portal (max-width: 639.98px) {
    .header {
      grid-template-areas: 'logo name menu' 'contact contact contact';
      gap: 0.75em;
      padding-bottom: 1em;
    }

    .logo {
      width: 2.5em;
      height: 2.5em;
    }

    .business-name {
      align-self: center;
    }

    .contact {
      flex-direction: column;
    }

    .business-name {
      font-size: 1.125em;
    }

    .menu-button {
      display: inline-flex;
    }

    .layout {
      grid-template-columns: minmax(0, 1fr);
      gap: 1.25em;
    }

    .nav-panel {
      display: none;
    }

    .nav-panel.open {
      display: grid;
      padding: 0.75em;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      box-shadow: 0 0.75em 1.5em rgb(17 24 39 / 0.12);
    }

    .sign-in {
      padding: 1.5em 1.25em;
    }
  }
`;
