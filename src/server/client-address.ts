/**
 * Who a request comes from, for the per-client limits (new places a minute, bodies still
 * arriving at once): the connection's address, or, behind proxies the operator names, the
 * address the outermost of them saw.
 *
 * Why counted from the right: proxies such as nginx (`$proxy_add_x_forwarded_for`) and cloud
 * load balancers append the address they saw to whatever `X-Forwarded-For` the client sent.
 * Everything left of the entries the trusted proxies appended was written by the client, so
 * the leftmost entry is whatever the client chose; the Nth from the right is not.
 */

/** Most proxies `trustProxy` may name: no real deployment chains more, and a typo should stop. */
export const MAX_TRUSTED_PROXIES = 10;

/**
 * The number of trusted proxies from the `trustProxy` option: `true` is one proxy (the meaning
 * the option had when it was a flag), `false`, `0` or absent none.
 *
 * @throws RangeError when it is not a whole number from 0 to {@link MAX_TRUSTED_PROXIES}
 */
export function trustedProxyCount(trustProxy: number | boolean | undefined): number {
  if (trustProxy === undefined || trustProxy === false) return 0;
  if (trustProxy === true) return 1;
  if (!Number.isInteger(trustProxy) || trustProxy < 0 || trustProxy > MAX_TRUSTED_PROXIES) {
    throw new RangeError(
      `trustProxy must be the number of proxies in front of the server, 0 to ${MAX_TRUSTED_PROXIES}.`,
    );
  }
  return trustProxy;
}

/**
 * The client address of a request.
 *
 * @param forwardedFor - the `X-Forwarded-For` header (several headers joined with `,`)
 * @param socketAddress - the address of the connection's other end
 * @param trustedProxies - how many proxies in front of the server append to the header; 0
 *   ignores the header
 * @returns the entry the outermost trusted proxy appended (the `trustedProxies`th from the
 *   right); the socket address when the header is off, absent, or has fewer entries (the
 *   request did not come through all the proxies, so nothing in its header is vouched for)
 * @example
 * ```ts
 * clientAddress('6.6.6.6, 203.0.113.7', '10.0.0.2', 1); // '203.0.113.7': nginx appended it
 * clientAddress('203.0.113.7, 10.0.0.9', '10.0.0.2', 2); // '203.0.113.7': LB, then nginx
 * ```
 */
export function clientAddress(
  forwardedFor: string | undefined,
  socketAddress: string | undefined,
  trustedProxies: number,
): string | null {
  if (trustedProxies > 0 && forwardedFor) {
    // Empty entries (`a,,b`, a trailing comma) are the client's doing: proxies append addresses.
    const entries = forwardedFor
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (entries.length >= trustedProxies) return entries[entries.length - trustedProxies]!;
  }
  return socketAddress ?? null;
}
