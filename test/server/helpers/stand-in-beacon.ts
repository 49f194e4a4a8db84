/**
 * A local stand-in for a public randomness beacon (drand's HTTP API shape): `GET
 * /public/<round>` answers `{ round, randomness }` once the round is published, 404 before. The
 * tests publish rounds by hand, so no test needs the network.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running stand-in beacon; see {@link startStandInBeacon}. */
export interface StandInBeacon {
  url: string;
  /** Makes `round` answer `randomness` (hex) from now on. */
  publish(round: number, randomness: string): void;
  /** The paths asked so far, in order. */
  asked: string[];
  close(): Promise<void>;
}

/** Starts a stand-in beacon on a free local port. */
export async function startStandInBeacon(): Promise<StandInBeacon> {
  const rounds = new Map<number, string>();
  const asked: string[] = [];
  const server = createServer((request, response) => {
    asked.push(request.url ?? '');
    const round = Number(/^\/public\/(\d+)$/.exec(request.url ?? '')?.[1]);
    const randomness = rounds.get(round);
    response.writeHead(randomness === undefined ? 404 : 200, {
      'Content-Type': 'application/json',
    });
    response.end(JSON.stringify(randomness === undefined ? {} : { round, randomness }));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    publish: (round, randomness) => void rounds.set(round, randomness),
    asked,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
