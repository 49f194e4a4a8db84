/**
 * The unit every per-client limit counts (new places a minute, bodies still arriving at once):
 * an IPv4 address, or the /64 network an IPv6 address is in.
 *
 * Why /64 for IPv6: a home connection, a phone or a cloud VM is handed a whole /64 (2^64
 * addresses) and may use any address in it, so counting addresses would let one client appear
 * as countless clients. A /64 is the smallest unit a provider gives one subscriber.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** `::ffff:203.0.113.7`, an IPv4 client on a dual-stack socket. */
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing IPv4 split). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The key a client address is counted under.
 *
 * @param address - an address as the socket or a trusted proxy gave it
 * @returns the IPv4 address (also for an IPv4-mapped IPv6 one), `<first four groups>::/64` for
 *   IPv6 (zone and brackets dropped), or the input unchanged when it is neither
 * @example
 * ```ts
 * clientKey('2001:db8:1:2:aaaa::1'); // '2001:db8:1:2::/64'
 * clientKey('::ffff:203.0.113.7'); // '203.0.113.7'
 * ```
 */
export function clientKey(address: string): string {
  const bare = address
    .trim()
    .replace(/^\[(.*)\](?::\d+)?$/, '$1')
    .replace(/%.*$/, '');
  const mapped = IPV4_MAPPED.exec(bare);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (!isIPv6(bare)) return address;
  const network = ipv6Groups(bare)
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':');
  return `${network}::/64`;
}
