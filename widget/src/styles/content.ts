// Text content of the portal's screens, for the chunk's elements only (portal.js never needs it).
import { css } from 'lit';

/** Headings, lists, links and secondary buttons. */
export const content = css`
  h1,
  h2,
  h3,
  ul,
  ol,
  dl,
  dd {
    margin: 0;
    padding: 0;
  }

  h1,
  h2,
  h3 {
    font-weight: 650;
    line-height: 1.25;
  }

  h2 {
    font-size: 1.375em;
  }

  h3 {
    font-size: 1.0625em;
  }

  [tabindex='-1']:focus {
    outline: none;
  }

  ul,
  ol {
    list-style: none;
  }

  a {
    color: inherit;
    text-decoration: underline;
    text-decoration-color: var(--_primary);
    text-underline-offset: 0.2em;
  }

  textarea,
  select {
    font: inherit;
    color: inherit;
  }

  .button.secondary {
    border-color: var(--_border);
    background: var(--_surface);
    color: var(--_text);
  }
`;
