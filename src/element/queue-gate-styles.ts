/**
 * Styles of `<queue-gate>`. Public `--queue-gate-*` custom properties are read once into
 * private `--_*` names, so the element's internals can change without breaking a theme, and
 * dark mode only swaps the defaults: a site's own values always win.
 */
import { css } from 'lit';

/** The element's shadow styles. */
export const queueGateStyles = css`
  :host {
    --_accent: var(--queue-gate-accent, #0b57d0);
    --_on-accent: var(--queue-gate-on-accent, #ffffff);
    --_background: var(--queue-gate-background, #ffffff);
    --_text: var(--queue-gate-text, #1f1f1f);
    --_muted: var(--queue-gate-muted, #4a4a4a);
    --_track: var(--queue-gate-track, #dde3ea);
    --_warning: var(--queue-gate-warning-background, #fef7e0);
    --_danger: var(--queue-gate-danger, #b3261e);
    --_radius: var(--queue-gate-radius, 12px);
    --_font: var(--queue-gate-font, system-ui, sans-serif);
    --_overlay: var(--queue-gate-overlay-background, #f3f5f8);
    --_max-width: var(--queue-gate-max-width, 36rem);
    display: block;
    font-family: var(--_font);
    color: var(--_text);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_accent: var(--queue-gate-accent, #a8c7fa);
      --_on-accent: var(--queue-gate-on-accent, #062e6f);
      --_background: var(--queue-gate-background, #1e1f22);
      --_text: var(--queue-gate-text, #f1f3f4);
      --_muted: var(--queue-gate-muted, #c4c7c5);
      --_track: var(--queue-gate-track, #44474e);
      --_warning: var(--queue-gate-warning-background, #3d3420);
      --_danger: var(--queue-gate-danger, #f2b8b5);
      --_overlay: var(--queue-gate-overlay-background, #121316);
    }
  }
  :host([hidden]) {
    display: none;
  }
  .overlay {
    position: fixed;
    inset: 0;
    z-index: 2147483000;
    display: grid;
    place-items: center;
    padding: 1rem;
    overflow: auto;
    background: var(--_overlay);
  }
  [part='panel'] {
    box-sizing: border-box;
    max-width: var(--_max-width);
    margin-inline: auto;
    padding: 1.5rem;
    border: 1px solid var(--_track);
    border-radius: var(--_radius);
    background: var(--_background);
    color: var(--_text);
    line-height: 1.5;
  }
  h2 {
    margin: 0 0 1rem;
    font-size: 1.375rem;
  }
  dl {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(9rem, 100%), 1fr));
    gap: 0.75rem;
    margin: 0 0 1rem;
  }
  dt {
    color: var(--_muted);
    font-size: 0.875rem;
  }
  dd {
    margin: 0;
    font-size: 1.5rem;
    font-weight: 600;
    /* Digits of equal width: a moving position never shifts the layout. */
    font-variant-numeric: tabular-nums;
  }
  [part='eta'] {
    font-size: 1.125rem;
  }
  [part='progress'] {
    height: 0.5rem;
    margin: 0 0 1rem;
    border-radius: 999px;
    background: var(--_track);
    overflow: hidden;
  }
  .bar {
    height: 100%;
    background: var(--_accent);
    transition: width 0.6s ease-out;
  }
  p {
    margin: 0 0 0.5rem;
  }
  .meta {
    color: var(--_muted);
    font-size: 0.875rem;
    font-variant-numeric: tabular-nums;
  }
  [part~='notice'] {
    margin: 0 0 1rem;
    padding: 0.75rem 1rem;
    border-radius: calc(var(--_radius) / 2);
    background: var(--_warning);
  }
  button,
  a[part] {
    display: inline-block;
    text-decoration: none;
    font: inherit;
    padding: 0.5rem 1rem;
    border: 2px solid transparent;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_on-accent);
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
    border-color: currentColor;
  }
  button:focus-visible,
  a[part]:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .spinner {
    display: inline-block;
    width: 1em;
    height: 1em;
    margin-inline-end: 0.5em;
    vertical-align: -0.125em;
    border: 2px solid var(--_track);
    border-top-color: var(--_accent);
    border-radius: 50%;
    animation: spin 0.9s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    .bar {
      transition: none;
    }
    .spinner {
      animation: none;
    }
  }
  @media (forced-colors: active) {
    [part='panel'],
    [part~='notice'] {
      border: 1px solid CanvasText;
    }
    [part='progress'] {
      border: 1px solid CanvasText;
    }
    .bar {
      background: Highlight;
    }
    button {
      border-color: ButtonText;
    }
  }
`;
