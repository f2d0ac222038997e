import { css } from '@lit/reactive-element/css-tag.js';

export default css`
  :host {
    display: block;
  }

  .base {
    min-height: 12em;
    padding: 1.5em 0;
    color: var(--_muted);
  }

  .button {
    margin-top: 1em;
  }
`;
