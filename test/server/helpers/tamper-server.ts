/**
 * A small local HTTP server that serves a (tampered) copy of a room's fairness record and a
 * JWK Set, as a dishonest or compromised server would, for the audit command to check.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running copy server; {@link serveCopy}. */
export interface CopyServer {
  url: string;
  close: () => Promise<void>;
}

/** Serves `record` at `/rooms/<room>/fairness` and `jwks` at `/.well-known/jwks.json`. */
export async function serveCopy(room: string, record: unknown, jwks: unknown): Promise<CopyServer> {
  const server = createServer((request, response) => {
    const body =
      request.url === `/rooms/${room}/fairness`
        ? record
        : request.url === '/.well-known/jwks.json'
          ? jwks
          : undefined;
    response.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
