import { css } from 'lit';

export default css`
  .payment-method h3 {
    font-size: 1.0625em;
  }

  .again {
    justify-self: start;
  }
`;
