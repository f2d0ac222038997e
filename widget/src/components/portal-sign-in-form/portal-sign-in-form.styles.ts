import { css } from '@lit/reactive-element/css-tag.js';

export default css`
  :host {
    display: block;
  }

  form,
  .sent,
  .notice {
    display: grid;
    gap: 0.75em;
    justify-items: start;
  }

  label,
  .title {
    font-weight: 600;
  }

  input {
    width: 100%;
    min-height: 2.75em;
    padding: 0.5em 0.75em;
    border: 1px solid var(--_muted);
    border-radius: var(--_radius);
    background: var(--_surface);
  }

  [aria-invalid='true'] {
    border-color: var(--_danger);
    box-shadow: 0 0 0 1px var(--_danger);
  }

  .error {
    margin-top: -0.25em;
    color: var(--_danger);
  }

  .title {
    font-size: 1.125em;
  }

  .hint {
    color: var(--_muted);
  }

  .sent:focus {
    outline: 0;
  }
`;
