/**
 * Baseline of the `admit` benchmark: a bare `node:http` server that verifies the bearer ticket
 * (jose `jwtVerify`, EdDSA pinned) and signs an admission, nothing else. It prepares
 * `BENCH_TICKETS` tickets and prints them in its ready line, so each is admitted once.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { jwtVerify } from 'jose';
import { TOKEN_TYPES } from '../../src/protocol.js';
import { TOKEN_ALGORITHM } from '../../src/verify/verify-signed-token.js';
import { bareKeys } from './bare-keys.js';
import { listenAndAnnounce } from './listen.js';

const keys = await bareKeys();
const iat = Math.floor(Date.now() / 1000);
const tickets: string[] = [];
for (let seq = 1; seq <= Number(process.env.BENCH_TICKETS ?? '1000'); seq += 1) {
  const claims = {
    iss: 'http://queue.bench',
    sub: randomUUID(),
    room: 'bench',
    seq,
    iat,
    exp: iat + 86_400,
  };
  tickets.push(await keys.sign(claims, TOKEN_TYPES.ticket));
}

await listenAndAnnounce(
  createServer((req, res) => {
    void (async () => {
      req.resume();
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      try {
        const { payload } = await jwtVerify(token, keys.publicKey, {
          algorithms: [TOKEN_ALGORITHM],
          typ: TOKEN_TYPES.ticket,
        });
        const now = Math.floor(Date.now() / 1000);
        const claims = {
          ...payload,
          aud: 'http://booking.bench',
          jti: randomUUID(),
          iat: now,
          exp: now + 120,
        };
        const admission = await keys.sign(claims, TOKEN_TYPES.admission);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        res.end(JSON.stringify({ admission, expiresAt: claims.exp * 1000 }));
      } catch {
        res.writeHead(401).end();
      }
    })();
  }),
  { tickets },
);
tickets.length = 0;
