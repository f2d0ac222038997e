import { css } from 'lit';

export default css`
  .options {
    display: grid;
    gap: 0.75em;
  }

  .option {
    display: grid;
    gap: 0.5em;
    padding: 0.75em clamp(0.75em, 3vw, 1em);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  .option.chosen {
    border-color: #15803d;
  }

  summary {
    padding: 0.5em 0;
    font-weight: 600;
    cursor: pointer;
  }

  details[open] > summary {
    margin-bottom: 0.5em;
  }
`;
