// The `cors` option of both admission middlewares, over real HTTP: Express (as the docs mount
// it) and Hono, each with the same routes and the same expectations.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { queueAdmission, requireAdmission } from '../../../src/verify/index.js';
import type {
  AdmissionCorsOptions,
  AdmissionMiddlewareOptions,
  QueueAdmissionVariables,
} from '../../../src/verify/index.js';
import { admissionCors } from '../../../src/verify/adapters/cors.js';
import { createTokenFixture, genuine, verifyOptionsFor } from '../support/refusal-cases.js';
import type { TokenFixture } from '../support/refusal-cases.js';
import { refusalOf } from '../support/booking-requests.js';

const SHOP = 'https://shop.example';
const OTHER = 'https://other.example';

/** Route → its `cors` option (`/plain` has none). */
const ROUTES: Record<string, AdmissionCorsOptions | undefined> = {
  '/book': { origins: [SHOP], exposeHeaders: ['Location'] },
  '/with-cookies': { origins: [SHOP], credentials: true },
  '/anyone': { origins: ['*'] },
  '/plain': undefined,
};

type Options = Omit<AdmissionMiddlewareOptions<never>, 'identity'>;

async function startExpress(options: Options): Promise<Server> {
  const app = express();
  for (const [path, cors] of Object.entries(ROUTES)) {
    const guard = requireAdmission({ ...options, ...(cors ? { cors } : {}) });
    app.options(path, guard);
    app.post(path, guard, (req, res) => {
      res.json({ seq: req.queueAdmission?.seq });
    });
  }
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return server;
}

async function startHono(options: Options): Promise<Server> {
  const app = new Hono<{ Variables: QueueAdmissionVariables }>();
  for (const [path, cors] of Object.entries(ROUTES)) {
    app.use(path, queueAdmission({ ...options, ...(cors ? { cors } : {}) }));
    // A raw Response, not `c.json`: the CORS headers must survive either way.
    app.post(path, (c) => Response.json({ seq: c.get('queueAdmission').seq }));
  }
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(server as Server),
    );
  });
}

const ADAPTERS = { 'requireAdmission (Express)': startExpress, 'queueAdmission (Hono)': startHono };

for (const [name, start] of Object.entries(ADAPTERS)) {
  describe(`${name} with the cors option`, () => {
    let fx: TokenFixture;
    let server: Server;
    let base: string;
    let seq = 100;
    const admission = () => genuine(fx, 'admission', { seq: (seq += 1) });

    before(async () => {
      fx = await createTokenFixture();
      server = await start(verifyOptionsFor(fx));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const preflight = (path: string, origin: string) =>
      fetch(`${base}${path}`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,content-type',
        },
      });
    const book = (path: string, origin: string | null, token?: string) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          ...(origin ? { Origin: origin } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
      });

    it('answers the preflight of a listed origin, allowing the bearer header', async () => {
      const answer = await preflight('/book', SHOP);
      assert.equal(answer.status, 204);
      assert.equal(answer.headers.get('access-control-allow-origin'), SHOP);
      assert.match(answer.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
      assert.match(answer.headers.get('access-control-allow-headers') ?? '', /Authorization/);
      assert.match(answer.headers.get('vary') ?? '', /Origin/);
      assert.equal(answer.headers.get('access-control-allow-credentials'), null);
      assert.equal(await answer.text(), '');
    });

    it('refuses the preflight of an origin not listed, without CORS headers', async () => {
      const answer = await preflight('/book', OTHER);
      assert.equal(answer.status, 403);
      assert.equal(answer.headers.get('access-control-allow-origin'), null);
    });

    it('lets a listed origin read the booking and the refusals, admission_used included', async () => {
      const token = await admission();
      const first = await book('/book', SHOP, token);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('access-control-allow-origin'), SHOP);
      assert.match(first.headers.get('access-control-expose-headers') ?? '', /Location/);
      assert.equal(((await first.json()) as { seq: number }).seq, seq);
      const again = await book('/book', SHOP, token);
      assert.equal(again.headers.get('access-control-allow-origin'), SHOP);
      assert.deepEqual(await refusalOf(again), { status: 409, code: 'admission_used' });
      const none = await book('/book', SHOP);
      assert.equal(none.headers.get('access-control-allow-origin'), SHOP);
      assert.deepEqual(await refusalOf(none), { status: 401, code: 'token_missing' });
    });

    it('never refuses by origin: an unlisted page books, but cannot read the answer', async () => {
      // A booking form posted from another origin carries an Origin too; the admission decides.
      const answer = await book('/book', OTHER, await admission());
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('access-control-allow-origin'), null);
      assert.match(answer.headers.get('vary') ?? '', /Origin/);
    });

    it('allows cookies only when asked, and "*" without them', async () => {
      const withCookies = await book('/with-cookies', SHOP, await admission());
      assert.equal(withCookies.headers.get('access-control-allow-credentials'), 'true');
      assert.equal(
        (await preflight('/anyone', OTHER)).headers.get('access-control-allow-origin'),
        '*',
      );
      const anyone = await book('/anyone', OTHER, await admission());
      assert.equal(anyone.headers.get('access-control-allow-origin'), '*');
      assert.equal(anyone.headers.get('access-control-allow-credentials'), null);
    });

    it('changes nothing without the option: a preflight meets the admission check', async () => {
      const answer = await preflight('/plain', SHOP);
      assert.equal(answer.headers.get('access-control-allow-origin'), null);
      assert.deepEqual(await refusalOf(answer), { status: 401, code: 'token_missing' });
    });
  });
}

describe('admissionCors settings', () => {
  it('refuses origins it cannot match, and "*" with credentials', () => {
    for (const origins of [
      [],
      ['https://shop.example/'],
      ['shop.example'],
      ['https://a.example/x'],
    ]) {
      assert.throws(() => admissionCors({ origins }), TypeError, JSON.stringify(origins));
    }
    assert.throws(() => admissionCors({ origins: ['*'], credentials: true }), /credentials/);
    assert.doesNotThrow(() => admissionCors({ origins: ['http://127.0.0.1:5173', SHOP] }));
  });
});
