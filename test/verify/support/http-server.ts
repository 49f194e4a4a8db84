/** Real HTTP servers on a free port for the verifier's tests. */
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

/** A listening server and its base URL; `close()` stops it. */
export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Starts `listener` on 127.0.0.1 and a free port. */
export async function listen(listener: RequestListener): Promise<RunningServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A JWKS endpoint whose keys can change between requests, counting how often it is fetched. */
export interface JwksEndpoint extends RunningServer {
  jwksUrl: string;
  fetches: number;
  keys: () => { keys: JWK[] };
  status: number;
}

/** Serves `keys()` at `/.well-known/jwks.json`. */
export async function serveJwks(keys: () => { keys: JWK[] }): Promise<JwksEndpoint> {
  const endpoint = { fetches: 0, keys, status: 200 } as JwksEndpoint;
  const running = await listen((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    endpoint.fetches += 1;
    res.writeHead(endpoint.status, { 'content-type': 'application/json' });
    res.end(endpoint.status === 200 ? JSON.stringify(endpoint.keys()) : '{}');
  });
  return Object.assign(endpoint, running, { jwksUrl: `${running.url}/.well-known/jwks.json` });
}
