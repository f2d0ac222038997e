// The documented global tokens and the reset every element starts from. Components only *read*
// `--portal-*` tokens (settable on :root by the host page), always with a fallback; the brand
// colour from the business's settings is the default accent (see brand.ts).
import { css } from '@lit/reactive-element/css-tag.js';

/**
 * `:host` is reset so inherited page styles (letter-spacing, text-transform, alignment…) stop at
 * the element, and `.base` (every element's `part="base"` wrapper) is reset again and styled in
 * units of its own font size, which starts from the user's default size rather than the page's
 * `html { font-size }`: page CSS such as `* { all: unset }` or huge fonts cannot reach inside.
 */
export const reset = css`
  :host,
  .base {
    all: initial;
  }

  :host([hidden]),
  [hidden] {
    display: none !important;
  }

  .base {
    --_primary: var(--portal-color-primary, var(--_brand, #1d4ed8));
    --_on-primary: var(--portal-color-on-primary, var(--_on-brand, #fff));
    --_surface: var(--portal-color-surface, #fff);
    --_text: var(--portal-color-text, #1f2937);
    --_muted: var(--portal-color-muted, #4b5563);
    --_danger: var(--portal-color-danger, #b91c1c);
    --_border: var(--portal-color-border, #d1d5db);
    --_radius: var(--portal-radius, 0.5em);
    --_space: var(--portal-space, 1em);
    --_subtle: color-mix(in srgb, var(--_primary) 8%, var(--_surface));
    display: block;
    font: var(--portal-font-size, medium) / 1.5 var(--portal-font-family, system-ui, sans-serif);
    color: var(--_text);
  }

  * {
    box-sizing: border-box;
  }

  :focus-visible {
    outline: 0.15em solid var(--portal-color-focus, var(--_primary));
    outline-offset: 0.15em;
  }

  p {
    margin: 0;
  }

  button,
  input {
    font: inherit;
    color: inherit;
  }

  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
`;

/** Buttons and notices: `.button` (accent), `.link-button`, `.notice` (`.danger` for errors). */
export const buttons = css`
  .button {
    min-height: 2.75em;
    padding: 0.625em 1.25em;
    border: 1px solid transparent;
    border-radius: var(--_radius);
    background: var(--_primary);
    color: var(--_on-primary);
    font-weight: 600;
    line-height: 1.25;
    cursor: pointer;
  }

  .button:hover {
    filter: brightness(1.1);
  }

  .button[aria-disabled='true'] {
    opacity: 0.75;
  }

  .link-button {
    padding: 0;
    border: 0;
    background: none;
    text-decoration: underline var(--_primary);
    text-underline-offset: 0.2em;
    cursor: pointer;
  }

  .notice {
    padding: 0.75em 1em;
    border: 1px solid var(--_border);
    border-inline-start: 0.25em solid var(--_primary);
    border-radius: var(--_radius);
    background: var(--_subtle);
  }

  .danger {
    border-inline-start-color: var(--_danger);
  }
`;
