/**
 * Lets `updateComplete` of the element cover the chunks it loads on demand (a language, the
 * rare screens): a test or a page awaiting it then sees the screen the chunk brings, not the
 * one shown while it loaded.
 */

/**
 * Waits for `update()`, then for each load `loads()` names that was not waited for yet and the
 * render it asked for, until none is left.
 *
 * @param update - the element's own update promise (Lit's `getUpdateComplete`)
 * @param loads - the chunk loads started so far, settled or not (null for none)
 * @returns what the last `update()` resolved with
 * @example
 * ```ts
 * return settleChunkLoads(() => super.getUpdateComplete(), () => [languageLoad, screensLoad]);
 * ```
 */
export async function settleChunkLoads(
  update: () => Promise<boolean>,
  loads: () => Array<Promise<void> | null>,
): Promise<boolean> {
  let done = await update();
  const waited = new Set<Promise<void>>();
  for (;;) {
    const load = loads().find((started) => started && !waited.has(started));
    if (!load) return done;
    waited.add(load);
    // The load's own callback, registered when it started, has asked for the render awaited next.
    await load;
    done = await update();
  }
}
