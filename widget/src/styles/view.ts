// What every portal view shares: heading, lists of cards, the loading, empty and error states.
import { css } from 'lit';

export const viewStyles = css`
  :host {
    display: block;
  }

  .base {
    display: grid;
    gap: calc(var(--_space) * 1.25);
  }

  .view-heading {
    font-size: 1.5em;
  }

  .cards {
    display: grid;
    gap: var(--_space);
  }

  .card {
    display: grid;
    gap: 0.5em;
    padding: var(--_space) calc(var(--_space) * 1.25);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }

  .muted {
    color: var(--_muted);
  }

  .state {
    display: grid;
    gap: 0.75em;
    justify-items: start;
    padding: calc(var(--_space) * 1.5);
    border: 0.0625em dashed var(--_border);
    border-radius: var(--_radius);
    color: var(--_muted);
  }

  .skeleton {
    height: 7.5em;
    border-radius: var(--_radius);
    background: linear-gradient(90deg, var(--_subtle) 25%, color-mix(in srgb, var(--_border) 45%, var(--_surface)) 50%, var(--_subtle) 75%);
    background-size: 200% 100%;
    animation: shimmer 1.4s ease-in-out infinite;
  }

  @keyframes shimmer {
    from {
      background-position: 100% 0;
    }
    to {
      background-position: -100% 0;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .skeleton {
      animation: none;
    }
  }
`;
