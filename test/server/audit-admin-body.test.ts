/**
 * Outside audit: the Node server reads a request's whole body before the app runs, and took up
 * to 64 KiB (the admin limit) for any request to an `/admin/` path, or `/ADMIN/`, without the
 * admin token: a 60 kB body was read and answered `401` (or `404`), where every other path
 * answers `413 body_too_large` past 8 KiB. Only the admin's own requests may now send admin-sized
 * bodies; everyone else is held to the visitors' limit everywhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIMITS } from '../../src/protocol.js';
import { startQueueServer } from '../../src/server/node-server.js';
import type { RunningQueueServer } from '../../src/server/node-server.js';

const ADMIN = 'audit-admin-token-0123456789';
let server: RunningQueueServer;
before(async () => {
  server = await startQueueServer({
    port: 0,
    dataDir: null,
    adminToken: ADMIN,
    logError: () => {},
  });
});
after(() => server.close());

const big = JSON.stringify({ pad: 'x'.repeat(LIMITS.maxBodyBytes * 3) });

async function post(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: big,
  });
  const json = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: json.error?.code };
}

describe('audit: admin-sized bodies without the admin token', () => {
  for (const path of ['/admin/rooms/demo/advance', '/admin/keys/rotate', '/ADMIN/rooms/demo']) {
    it(`refuses a ${big.length}-byte body at ${path} unread without the token`, async () => {
      assert.deepEqual(await post(path), { status: 413, code: 'body_too_large' });
      assert.deepEqual(await post(path, { Authorization: 'Bearer not-the-admin-token-000' }), {
        status: 413,
        code: 'body_too_large',
      });
    });
  }

  it('still reads an admin-sized body sent with the admin token', async () => {
    const origins = Array.from(
      { length: 50 },
      (_, i) => `https://shop-${String(i).padStart(2, '0')}.${'a'.repeat(230)}.example`,
    );
    const opensAt = Date.now() + 3600_000;
    const cohorts = Array.from({ length: 100 }, (_, i) => ({
      id: `cohort-${String(i).padStart(3, '0')}`,
      opensAt: opensAt + i * 60_000,
      closesAt: opensAt + (i + 1) * 60_000,
    }));
    const body = JSON.stringify({ allowedOrigins: origins, cohorts });
    assert.ok(body.length > LIMITS.maxBodyBytes);
    const response = await fetch(`${server.url}/admin/rooms/wide`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      body,
    });
    assert.equal(response.status, 201);
    const stats = (await response.json()) as { config: { allowedOrigins: string[] } };
    assert.equal(stats.config.allowedOrigins.length, 50);
  });
});
