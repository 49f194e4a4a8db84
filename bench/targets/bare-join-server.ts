/**
 * Baseline of the `join` benchmark: a bare `node:http` server that reads the JSON body and
 * signs a ticket with the same algorithm and claims (jose `SignJWT`, EdDSA), nothing else.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { TOKEN_TYPES } from '../../src/protocol.js';
import { bareKeys, readBody } from './bare-keys.js';
import { listenAndAnnounce } from './listen.js';

const keys = await bareKeys();
let seq = 0;

await listenAndAnnounce(
  createServer((req, res) => {
    void (async () => {
      JSON.parse((await readBody(req)) || '{}');
      seq += 1;
      const iat = Math.floor(Date.now() / 1000);
      const claims = {
        iss: 'http://queue.bench',
        sub: randomUUID(),
        room: 'bench',
        seq,
        iat,
        exp: iat + 86_400,
      };
      const ticket = await keys.sign(claims, TOKEN_TYPES.ticket);
      const body = JSON.stringify({
        ticket,
        seq,
        serving: 0,
        position: seq,
        ratePerSec: 0,
        pollAfterMs: 2000,
      });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(body);
    })();
  }),
);
