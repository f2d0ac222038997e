import { css } from '@lit/reactive-element/css-tag.js';

export default css`
  :host,
  .base {
    display: inline-block;
  }

  dialog {
    width: min(28em, 100vw - 2em);
    padding: 0;
    border: 0;
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 1em 3em #0004;
  }

  dialog::backdrop {
    background: #1118;
  }

  .panel {
    display: grid;
    gap: 1em;
    padding: 1.5em;
  }

  h2 {
    margin: 0 2em 0 0;
    font-size: 1.25em;
  }

  .intro {
    color: var(--_muted);
  }

  .close {
    position: absolute;
    top: 0.5em;
    right: 0.5em;
    width: 1.75em;
    height: 1.75em;
    border: 0;
    border-radius: var(--_radius);
    background: none;
    color: var(--_muted);
    font-size: 1.5em;
    line-height: 1;
    cursor: pointer;
  }

  .close:hover {
    background: var(--_subtle);
  }
`;
