import { css } from 'lit';

export default css`
  :host {
    display: inline-block;
  }

  :host([hidden]) {
    display: none;
  }

  .button {
    font: inherit;
    font-family: var(--portal-font-family, inherit);
    font-weight: 600;
    line-height: 1.25;
    padding: 0.625em 1.25em;
    border: none;
    border-radius: var(--portal-radius, 0.375rem);
    background: var(--portal-color-primary, #1d4ed8);
    color: var(--portal-color-on-primary, #ffffff);
    cursor: pointer;
  }

  .button:hover {
    filter: brightness(1.1);
  }

  .button:focus-visible {
    outline: 2px solid var(--portal-color-primary, #1d4ed8);
    outline-offset: 2px;
  }
`;
