// What the invoices, estimates, messages and payment-methods views share: card heads with a status
// pill, sections, facts, line-item tables with totals, and rows of actions. Laid out to wrap, so
// they fit a 360 px phone without media or container queries.
import { css } from 'lit';

export const documentStyles = css`
  h4,
  h5 {
    margin: 0;
    font-size: 1em;
    font-weight: 650;
    line-height: 1.3;
  }

  h4 {
    font-size: 1.0625em;
  }

  .section {
    display: grid;
    gap: 0.75em;
  }

  .section-heading {
    font-size: 1.125em;
  }

  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.25em 1em;
  }

  .head > :first-child {
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

  .status.good {
    background: #dcfce7;
    color: #14532d;
  }

  .status.warn {
    background: #fef3c7;
    color: #78350f;
  }

  .status.bad {
    background: #fee2e2;
    color: #7f1d1d;
  }

  .status.quiet {
    background: #f3f4f6;
    color: #374151;
  }

  .facts {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em 1.75em;
    font-size: 0.9375em;
  }

  .facts dt {
    color: var(--_muted);
    font-size: 0.875em;
  }

  .facts dd {
    font-weight: 600;
  }

  .text {
    white-space: pre-line;
    overflow-wrap: anywhere;
  }

  .items {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.9375em;
  }

  .items th {
    padding: 0.375em 0;
    border-bottom: 1px solid var(--_border);
    color: var(--_muted);
    font-size: 0.875em;
    font-weight: 600;
    text-align: start;
  }

  .items td {
    padding: 0.5em 0;
    border-bottom: 1px solid var(--_border);
    vertical-align: top;
    overflow-wrap: anywhere;
  }

  .items .num {
    padding-inline-start: 1em;
    text-align: end;
    white-space: nowrap;
  }

  .qty {
    display: block;
    color: var(--_muted);
    font-size: 0.875em;
  }

  .totals {
    display: grid;
    gap: 0.25em;
    justify-self: end;
    width: min(100%, 18em);
    font-size: 0.9375em;
  }

  .totals div {
    display: flex;
    justify-content: space-between;
    gap: 1em;
  }

  .totals .strong {
    padding-top: 0.25em;
    border-top: 1px solid var(--_border);
    font-weight: 700;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em 0.75em;
  }

  .back {
    justify-self: start;
    min-height: 2.75em;
  }

  .more {
    justify-self: start;
  }

  /* An empty live region stays in the accessibility tree (so what comes into it is announced) but takes no grid cell. */
  .live:empty {
    position: absolute;
  }

  .notice.success {
    border-inline-start-color: #15803d;
  }
`;
