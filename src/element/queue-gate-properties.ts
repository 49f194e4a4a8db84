/**
 * The properties and attributes of `<queue-gate>`, with their defaults: what a page sets. The
 * element (`queue-gate-element.ts`) wires them to the engine and the screens.
 */
import { LitElement } from 'lit';
import { createDefaultEngine, type EngineFactory } from './default-engine.js';
import type { TranslationOverrides } from './localize.js';

/** How the waiting screen is laid out. */
export type QueueGateMode = 'inline' | 'overlay';

/**
 * Which colours the panel uses: `page` (default) follows the colour scheme of the page around
 * the element (CSS `color-scheme`, e.g. `:root { color-scheme: light dark }`), `auto` follows
 * the visitor's system setting (`prefers-color-scheme`), `light` and `dark` choose one.
 */
export type QueueGateColorScheme = 'page' | 'light' | 'dark' | 'auto';

/** Properties that make a new engine when they change. */
export const ENGINE_INPUTS = ['room', 'endpoint', 'cohort', 'engineFactory'] as const;

/** Properties that say who the visitor is: a change joins again with the new identity. */
export const IDENTITY_INPUTS = ['identity', 'identityProvider', 'identityUrl'] as const;

/** The settings of `<queue-gate>`; see `QueueGateElement` for the element itself. */
export class QueueGateProperties extends LitElement {
  static override properties = {
    room: { type: String },
    endpoint: { type: String },
    cohort: { type: String },
    admitUrl: { type: String, attribute: 'admit-url' },
    mode: { type: String, reflect: true },
    // Reflected: the styles choose the panel's colours from the attribute.
    colorScheme: { type: String, attribute: 'color-scheme', reflect: true },
    notify: { type: Boolean, reflect: true },
    // Property only: an assertion is a credential, kept out of the page's markup.
    identity: { attribute: false },
    identityProvider: { attribute: false },
    identityUrl: { type: String, attribute: 'identity-url' },
    signInUrl: { type: String, attribute: 'sign-in-url' },
    strings: { attribute: false },
    engineFactory: { attribute: false },
  };

  /** `lang` stays the native property; observing it re-renders in the new language. */
  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  /** The room id to wait for (attribute `room`). */
  declare room: string;
  /** The queue server's base URL (attribute `endpoint`); defaults to the page's origin. */
  declare endpoint: string;
  /**
   * The visitor's cohort (attribute `cohort`), e.g. the birth-date digit chosen on the page, for
   * a room split into cohorts; the widget says when the cohort opens if it is not open yet.
   */
  declare cohort: string;
  /** Where to send the visitor with the admission (POST, field `queue_admission`) instead of revealing the slotted form. */
  declare admitUrl: string;
  /** `inline` (default) or `overlay`, which covers the whole page until admission. */
  declare mode: QueueGateMode;
  /**
   * The panel's colours (attribute `color-scheme`): `page` (default) follows the page's CSS
   * `color-scheme`, `auto` the visitor's system setting, `light` or `dark` one of them. The
   * slotted booking form always keeps the page's own colours.
   */
  declare colorScheme: QueueGateColorScheme;
  /** Opt in to a system notification and a tone when the turn comes in a background tab. */
  declare notify: boolean;
  /**
   * The signed-in visitor's identity assertion (a property, not an attribute): a short-lived JWT the
   * site's backend signed (docs/identity.md). In a room with identity, the place belongs to the
   * person and comes back on any device. Setting it later joins again with it.
   */
  declare identity: string;
  /**
   * Gives a fresh identity assertion when asked, or null when the visitor is not signed in; it
   * wins over `identity`. Asked on joining and again once when the server refuses the identity.
   */
  declare identityProvider: (() => Promise<string | null>) | null;
  /**
   * A URL of the page's own origin that answers the signed-in visitor's assertion (attribute
   * `identity-url`; the script tag's `data-identity-url`), fetched with the visitor's cookies:
   * 200 with `{ "identity": "<JWT>" }` or the JWT as text; 204, 401 or 403 when not signed in.
   */
  declare identityUrl: string;
  /** Where the visitor signs in (attribute `sign-in-url`): linked when the room needs it. */
  declare signInUrl: string;
  /** Overrides for any string of the current language. */
  declare strings: TranslationOverrides;
  /**
   * Builds the engine; replace it to inject a simulator (tests, demo). Not an attribute.
   * @internal
   */
  declare engineFactory: EngineFactory;

  constructor() {
    super();
    this.room = '';
    this.endpoint = '';
    this.cohort = '';
    this.admitUrl = '';
    this.mode = 'inline';
    this.colorScheme = 'page';
    this.notify = false;
    this.identity = '';
    this.identityProvider = null;
    this.identityUrl = '';
    this.signInUrl = '';
    this.strings = {};
    this.engineFactory = createDefaultEngine;
  }
}
