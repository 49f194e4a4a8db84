/**
 * The identity source of script-tag sites (`data-identity-url`): a URL of the site, on the
 * page's own origin, that answers the signed-in visitor's identity assertion.
 */

/**
 * Asks the site for its signed-in visitor's assertion at `url`, with the visitor's cookies. The
 * URL must be of the page's own origin: the answer vouches for the visitor, and cookies must
 * not be sent to anyone else. Answers: 200 with JSON `{ "identity": "<JWT>" }` or the JWT as
 * text; 204, 401 or 403 (any other status) when the visitor is not signed in.
 *
 * @returns the assertion, or null when not signed in, or when the URL is of another origin
 * @throws on a network failure or an unreadable body (the engine counts it as not signed in)
 * @example
 * ```ts
 * createQueueEngine({ endpoint, room, identity: () => fetchIdentity('/account/queue-identity') });
 * ```
 */
export async function fetchIdentity(
  url: string,
  doFetch: typeof fetch = (input, init) => globalThis.fetch(input, init),
): Promise<string | null> {
  const target = new URL(url, location.href);
  if (target.origin !== location.origin) return null;
  const response = await doFetch(target, {
    credentials: 'include',
    cache: 'no-store',
    headers: { Accept: 'application/json, text/plain' },
  });
  if (response.status !== 200) return null;
  const text = (await response.text()).trim();
  if (!text.startsWith('{')) return text;
  const body = JSON.parse(text) as { identity?: unknown };
  return typeof body.identity === 'string' ? body.identity : null;
}
