import { css } from 'lit';

export default css`
  .banner {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.75em 1.25em;
  }

  .banner p {
    font-weight: 600;
  }

  .tabs {
    display: flex;
    gap: 0.25em;
    border-bottom: 1px solid var(--_border);
  }

  .tab {
    min-height: 2.75em;
    margin-bottom: -0.0625em;
    padding: 0.5em 1em;
    border: 0;
    border-bottom: 0.1875em solid transparent;
    background: none;
    color: var(--_muted);
    font-weight: 600;
    cursor: pointer;
  }

  .tab:hover {
    color: var(--_text);
  }

  .tab[aria-selected='true'] {
    border-bottom-color: var(--_primary);
    color: var(--_text);
  }

  .panel {
    display: grid;
    gap: var(--_space);
  }

  .panel:focus-visible {
    outline-offset: 0.375em;
  }

  /*
   * A long list costs most of its render in layout (bench/widget-render.ts): cards out of view are
   * laid out once they come near it, at an estimated height until then. Their text stays in the
   * page for search and assistive technology.
   */
  .cards > li {
    content-visibility: auto;
    contain-intrinsic-size: auto 9.5em;
  }

  .appointment-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.25em 1em;
  }

  .time {
    font-weight: 600;
  }

  .details {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.25em 1em;
    margin-top: 0.25em;
    font-size: 0.9375em;
  }

  .details div {
    display: contents;
  }

  dt {
    color: var(--_muted);
  }

  dd {
    overflow-wrap: anywhere;
  }

  .status {
    padding: 0.125em 0.625em;
    border-radius: 999em;
    background: color-mix(in srgb, var(--_primary) 12%, var(--_surface));
    font-size: 0.8125em;
    font-weight: 650;
    white-space: nowrap;
  }

  .status-in_progress .status {
    background: #fef3c7;
    color: #78350f;
  }

  .status-completed .status {
    background: #dcfce7;
    color: #14532d;
  }

  .status-canceled .status {
    background: #f3f4f6;
    color: #374151;
  }

  .status-canceled .description,
  .status-canceled .time {
    text-decoration: line-through;
    color: var(--_muted);
  }

  .more {
    justify-self: start;
  }

  @container portal (max-width: 479.98px) {
    .details {
      grid-template-columns: 1fr;
      gap: 0;
    }

    .details dd + dt {
      margin-top: 0.375em;
    }
  }
`;
