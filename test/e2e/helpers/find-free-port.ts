/** A free TCP port for a child server, found by letting the OS pick one. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Asks the OS for a free port on 127.0.0.1 and releases it at once.
 *
 * Why not `PORT=0` for the child: the restart journey must bring the server back on the very
 * same port the page already talks to, so the port has to be known before the first start.
 *
 * @example
 * ```ts
 * const port = await findFreePort();
 * ```
 */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ready());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
