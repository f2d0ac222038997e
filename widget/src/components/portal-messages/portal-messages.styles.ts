import { css } from 'lit';

export default css`
  .intro {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.75em 1.25em;
  }

  .when {
    font-size: 0.875em;
  }

  .replies {
    display: grid;
    gap: 0.5em;
    margin-top: 0.25em;
  }

  .reply {
    display: grid;
    gap: 0.25em;
    padding: 0.625em 0.875em;
    border-inline-start: 0.1875em solid var(--_primary);
    border-radius: var(--_radius);
    background: var(--_subtle);
  }

  .times {
    gap: 0.625em;
  }

  .time-label {
    font-weight: 400;
  }
`;
