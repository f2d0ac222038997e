// Styles shared by every view: adopted stylesheets, so the page's CSP needs no 'unsafe-inline'.
import { css } from 'lit';

export const shared = css`
  :host {
    display: block;
    color: #18181b;
    font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  }
  h2 {
    font-size: 1.35rem;
    margin: 0 0 12px;
  }
  h3 {
    font-size: 1.1rem;
    margin: 20px 0 8px;
  }
  a {
    color: #0f5f58;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
  }
  button {
    border: 1px solid #0f5f58;
    background: #0f5f58;
    color: #fff;
    padding: 6px 14px;
    border-radius: 6px;
    cursor: pointer;
  }
  button.secondary {
    background: #fff;
    color: #0f5f58;
  }
  button.danger {
    background: #b42318;
    border-color: #b42318;
  }
  button.link {
    background: none;
    border: none;
    color: #0f5f58;
    padding: 0;
    text-decoration: underline;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  :focus-visible {
    outline: 3px solid #2563eb;
    outline-offset: 2px;
  }
  input,
  select,
  textarea {
    border: 1px solid #71717a;
    border-radius: 6px;
    padding: 6px 8px;
    background: #fff;
    color: #18181b;
  }
  label {
    display: block;
    font-weight: 600;
    margin: 10px 0 4px;
  }
  label.inline {
    display: inline-flex;
    gap: 6px;
    align-items: center;
    font-weight: 400;
    margin: 4px 12px 4px 0;
  }
  .field input:not([type='checkbox']),
  .field select,
  .field textarea {
    width: 100%;
    max-width: 460px;
    box-sizing: border-box;
  }
  .hint {
    color: #52525b;
    font-size: 0.9rem;
    margin: 2px 0;
  }
  .card {
    background: #fff;
    border: 1px solid #e4e4e7;
    border-radius: 8px;
    padding: 16px 20px;
    margin: 0 0 16px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  fieldset {
    /* Not as wide as the widest thing inside (a table of line items): it scrolls instead. */
    min-width: 0;
  }
  .table-wrap {
    overflow-x: auto;
    /* Contains its .sr-only texts, which would otherwise widen the page. */
    position: relative;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    background: #fff;
  }
  th,
  td {
    text-align: left;
    padding: 6px 8px;
    border-bottom: 1px solid #e4e4e7;
    vertical-align: top;
  }
  th {
    font-size: 0.85rem;
    color: #3f3f46;
  }
  .status {
    min-height: 1.5em;
    margin: 8px 0;
  }
  .error {
    color: #b42318;
  }
  .ok {
    color: #166534;
  }
  pre {
    white-space: pre-wrap;
    word-break: break-all;
    background: #f4f4f5;
    border: 1px solid #e4e4e7;
    border-radius: 6px;
    padding: 10px;
    font: 13px/1.45 ui-monospace, monospace;
  }
  .badge {
    display: inline-block;
    padding: 0 8px;
    border-radius: 999px;
    background: #e4e4e7;
    font-size: 0.85rem;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
