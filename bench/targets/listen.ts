/**
 * What every bench target does last: listen on a free loopback port, print its ready line,
 * and exit on SIGTERM.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on 127.0.0.1:0 and prints `{ url, ...extra }` as one JSON line. */
export async function listenAndAnnounce(
  server: Server,
  extra: Record<string, unknown> = {},
): Promise<void> {
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, ...extra })}\n`);
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
