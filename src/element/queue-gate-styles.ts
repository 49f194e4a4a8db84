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
    /* No colour, font or colour scheme here: they would be inherited by the slotted booking
       form, which keeps the page's own. Only the element's own boxes are styled. */
    display: block;
  }
  /* Dark colours follow the colour scheme used where they are drawn: the page's (inherited,
     e.g. :root { color-scheme: light dark }) unless \`color-scheme\` chooses. A browser without
     light-dark() keeps the light colours above. */
  @supports (color: light-dark(#000, #fff)) {
    :host {
      --_accent: var(--queue-gate-accent, light-dark(#0b57d0, #a8c7fa));
      --_on-accent: var(--queue-gate-on-accent, light-dark(#ffffff, #062e6f));
      --_background: var(--queue-gate-background, light-dark(#ffffff, #1e1f22));
      --_text: var(--queue-gate-text, light-dark(#1f1f1f, #f1f3f4));
      --_muted: var(--queue-gate-muted, light-dark(#4a4a4a, #c4c7c5));
      --_track: var(--queue-gate-track, light-dark(#dde3ea, #44474e));
      --_warning: var(--queue-gate-warning-background, light-dark(#fef7e0, #3d3420));
      --_danger: var(--queue-gate-danger, light-dark(#b3261e, #f2b8b5));
      --_overlay: var(--queue-gate-overlay-background, light-dark(#f3f5f8, #121316));
    }
  }
  :host([color-scheme='light']) :is(.overlay, [part='panel'], [part~='notice']) {
    color-scheme: light;
  }
  :host([color-scheme='dark']) :is(.overlay, [part='panel'], [part~='notice']) {
    color-scheme: dark;
  }
  :host([color-scheme='auto']) :is(.overlay, [part='panel'], [part~='notice']) {
    color-scheme: light dark;
  }
  [part='panel'],
  [part~='notice'] {
    font-family: var(--_font);
    color: var(--_text);
    /* Korean breaks between words, not inside them ("있습|니다"); a word longer than the
       line (a long URL, a narrow zoomed screen) still wraps instead of overflowing. */
    word-break: keep-all;
    overflow-wrap: break-word;
  }
  :host([hidden]) {
    display: none;
  }
  .overlay {
    position: fixed;
    inset: 0;
    z-index: 2147483000;
    /* Auto margins centre the panel without cutting it: centring by alignment would push a
       panel taller or wider than a zoomed screen past the edges, out of scroll reach. */
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    padding: 1rem;
    overflow: auto;
    background: var(--_overlay);
  }
  .overlay > [part='panel'] {
    width: 100%;
    margin: auto;
  }
  [part='panel'] {
    box-sizing: border-box;
    min-width: 0;
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
  /* One column at every width, biggest first: the people ahead, then the wait, then the
     visitor's number as a line of small print. No columns to switch, so no figure is squeezed
     into a column too narrow for it at some width. */
  .figures {
    display: grid;
    gap: 0.5rem;
    margin: 0 0 1rem;
  }
  dt {
    color: var(--_muted);
    font-size: 0.875rem;
  }
  dd {
    margin: 0;
    font-weight: 600;
    line-height: 1.25;
    /* Digits of equal width: a moving position never shifts the layout. */
    font-variant-numeric: tabular-nums;
  }
  [part='ahead'] {
    font-size: 2rem;
  }
  [part='eta'] {
    font-size: 1.25rem;
  }
  .secondary {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    column-gap: 0.5rem;
  }
  [part='position'] {
    font-size: 0.875rem;
  }
  [part='progress'] {
    box-sizing: border-box;
    height: 0.75rem;
    margin: 0 0 1rem;
    border-radius: 999px;
    background: var(--_track);
    /* The empty track's edge in the muted text colour: at least 3:1 against the panel in light
       and dark (WCAG 1.4.11), while the light inside keeps the filled part at 3:1 too. */
    border: 1px solid var(--_muted);
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
  /* Counting down: big enough to read at a glance, never body-size. */
  .countdown {
    margin: 0 0 0.75rem;
    font-size: 1.75rem;
    font-weight: 600;
    line-height: 1.25;
    font-variant-numeric: tabular-nums;
  }
  .countdown-label {
    display: block;
    color: var(--_muted);
    font-size: 0.875rem;
    font-weight: 400;
  }
  .turn h2 {
    margin-block-end: 0.5rem;
  }
  [part='turn-warning'] {
    padding-inline-start: 0.75rem;
    border-inline-start: 4px solid var(--_danger);
    font-weight: 600;
  }
  /* At 320 CSS px or less (a phone at 200 % zoom) the big figures step down a size, still
     biggest first, so "296 people" and a countdown keep to one line. */
  @media (max-width: 20rem) {
    [part='ahead'],
    .countdown {
      font-size: 1.5rem;
    }
    [part='eta'] {
      font-size: 1.125rem;
    }
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
    box-sizing: border-box;
    max-width: 100%;
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
  /* A screen of 320 CSS px or less (a phone at 200 % zoom): less padding, so a long Korean
     word or a number still fits a line whole instead of being broken or cut (WCAG 1.4.10). */
  @media (max-width: 20rem) {
    .overlay {
      padding: 0.5rem;
    }
    [part='panel'] {
      padding: 1rem;
    }
    [part~='notice'] {
      padding: 0.5rem 0.75rem;
    }
    h2 {
      font-size: 1.25rem;
    }
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
