import { css } from 'lit';

export default css`
  .detail {
    gap: 1em;
  }

  .pay-row {
    padding-top: 0.25em;
  }

  .again {
    justify-self: start;
  }
`;
