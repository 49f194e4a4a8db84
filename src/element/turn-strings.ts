/**
 * The strings about the visitor's turn and place: the hold while waiting, the countdown once
 * admitted, the opening draw. Part of every `Translation` (see `localize.ts`).
 */
export interface TurnStrings {
  /**
   * While waiting: how long the turn is held once it comes (the room's hold window), so nobody
   * learns it only when it runs out. `duration` is e.g. "5 minutes", formatted for the language.
   */
  holdNotice: (duration: string) => string;
  /** Label of the countdown to the admission's expiry ("Time left to book"). */
  timeLeftLabel: string;
  /** Said (once) when less than a minute of the admission is left. */
  turnEndingSoon: string;
  /** The opening is due: shown instead of a countdown at zero until the draw's answer arrives. */
  openingNow: string;
  /**
   * After an opening draw gave the visitor their place: how many people were ahead when the
   * visitor got it (`formatted` is `count` formatted for the language). In the past tense, so
   * it stays true as the line moves; the headline says how many are ahead now.
   */
  drawPlaced: (count: number, formatted: string) => string;
  /** Label of the visitor's number when the opening draw gave it. */
  placeFromDrawLabel: string;
}
