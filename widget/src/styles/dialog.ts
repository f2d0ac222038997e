// The views' native <dialog>s and their form fields: labels above fields, radio choices as
// bordered rows, errors tied to their field.
import { css } from 'lit';

export const dialogStyles = css`
  dialog {
    width: min(34em, calc(100vw - 1.5em));
    max-height: calc(100dvh - 1.5em);
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 1.5);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 1.5em 3em rgb(0 0 0 / 0.25);
  }

  dialog::backdrop {
    background: rgb(17 24 39 / 0.55);
  }

  .dialog-body {
    display: grid;
    gap: 1em;
    padding: 1.25em clamp(1em, 4vw, 1.5em);
  }

  .dialog-body h3 {
    font-size: 1.25em;
    overflow-wrap: anywhere;
  }

  fieldset {
    display: grid;
    gap: 0.5em;
    min-width: 0;
    margin: 0;
    padding: 0;
    border: 0;
  }

  legend,
  label {
    font-weight: 600;
  }

  legend {
    margin-bottom: 0.5em;
    padding: 0;
  }

  .field {
    display: grid;
    gap: 0.375em;
  }

  input[type='text'],
  textarea,
  select {
    width: 100%;
    min-height: 2.75em;
    padding: 0.5em 0.75em;
    border: 1px solid var(--_muted);
    border-radius: var(--_radius);
    background: var(--_surface);
    font-weight: 400;
  }

  textarea {
    resize: vertical;
  }

  [aria-invalid='true'] {
    border-color: var(--_danger);
    box-shadow: 0 0 0 1px var(--_danger);
  }

  .choice {
    display: flex;
    align-items: flex-start;
    gap: 0.625em;
    padding: 0.625em 0.75em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    font-weight: 400;
    cursor: pointer;
  }

  .choice:has(:checked) {
    border-color: var(--_primary);
    background: var(--_subtle);
  }

  .choice input {
    flex: none;
    width: 1.125em;
    height: 1.125em;
    margin: 0.1875em 0 0;
    accent-color: var(--_primary);
  }

  .choice span {
    display: grid;
    overflow-wrap: anywhere;
  }

  .hint {
    color: var(--_muted);
    font-size: 0.875em;
    font-weight: 400;
  }

  .error {
    color: var(--_danger);
    font-size: 0.9375em;
    font-weight: 600;
  }

  .button.danger {
    border-color: var(--_danger);
    background: var(--_danger);
    color: #fff;
  }
`;
