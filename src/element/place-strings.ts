/**
 * The strings that say what holds about the visitor's place and the wait: nothing is kept before
 * a ticket exists, the hold runs once the turn has come, a reload loses the place where storage
 * is denied, an estimate may be out of date, and "Try now" waits for the server. Part of every
 * `Translation` (see `localize.ts`).
 */
export interface PlaceStrings {
  /** A wait whose low end rounds to nothing: "less than `max` minutes". */
  etaUnder: (max: string) => string;
  /** A long wait: `min`–`max` hours, expected to end around the local time `at`. */
  etaLong: (min: string, max: string, at: string) => string;
  /** An estimate from before the connection failed (`estimate` is one of the eta phrases). */
  etaStale: (estimate: string) => string;
  /** The browser denies this page storage: the ticket lives only as long as the page. */
  reloadUnsafe: string;
  /** Link that opens the waiting room in its own tab (offered in a frame without storage). */
  openOwnTab: string;
  /** The small status line while the first failed requests are retried (no screen change). */
  reconnectingInline: string;
  /** No ticket exists yet (the first join failed): nothing is kept, the engine keeps asking. */
  notInLineYet: string;
  /** A ticket exists and the server keeps its place (said only then). */
  placeKept: string;
  /** The turn has come while the server cannot be reached: the hold runs, until `until` if known. */
  turnClockRunning: (until: string | null) => string;
  /** The disabled "Try now" while the server's `Retry-After` runs (`seconds` formatted). */
  retryNowIn: (seconds: string) => string;
}
