import { expect } from '@open-wc/testing';
import { AdminError, createAdminClient } from '../../demo/admin-client.js';

const STATS = {
  room: 'demo',
  status: 'open',
  serving: 10,
  issued: 40,
  waiting: 30,
  active: 2,
  pending: 0,
  ratePerSec: 0.5,
  claimsLastMinute: 3,
  config: { admitPerMinute: 30 },
};

function recordingFetch(answer: () => Response) {
  const calls: Array<{ url: string; method: string; auth: string | null; body: unknown }> = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      auth: headers.get('Authorization'),
      body: init?.body === undefined ? undefined : JSON.parse(String(init.body)),
    });
    return answer();
  }) as typeof fetch;
  return { fetchImpl, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('the operator panel admin client', () => {
  it('calls each admin route of the room with the bearer token', async () => {
    const { fetchImpl, calls } = recordingFetch(() => json(200, STATS));
    const admin = createAdminClient({
      room: 'demo',
      token: 'secret-token-123456',
      endpoint: 'http://queue.test/',
      fetch: fetchImpl,
    });
    expect((await admin.stats()).issued).to.equal(40);
    await admin.configure({ admitPerMinute: 120 });
    await admin.advance(25);
    await admin.pause();
    await admin.resume();
    await admin.close();
    expect(calls.map((c) => `${c.method} ${c.url}`)).to.deep.equal([
      'GET http://queue.test/admin/rooms/demo',
      'PUT http://queue.test/admin/rooms/demo',
      'POST http://queue.test/admin/rooms/demo/advance',
      'POST http://queue.test/admin/rooms/demo/pause',
      'POST http://queue.test/admin/rooms/demo/resume',
      'POST http://queue.test/admin/rooms/demo/close',
    ]);
    expect(calls.every((c) => c.auth === 'Bearer secret-token-123456')).to.equal(true);
    expect(calls[1].body).to.deep.equal({ admitPerMinute: 120 });
    expect(calls[2].body).to.deep.equal({ by: 25 });
  });

  it("turns the server's error body into an AdminError with its code", async () => {
    const { fetchImpl } = recordingFetch(() =>
      json(404, { error: { code: 'room_not_found', message: 'No room "x".' } }),
    );
    const admin = createAdminClient({ room: 'x', token: 't', fetch: fetchImpl });
    const error = await admin.stats().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AdminError);
    expect((error as AdminError).status).to.equal(404);
    expect((error as AdminError).code).to.equal('room_not_found');
  });

  it('reports an unreachable server and a non-JSON answer distinctly', async () => {
    const offline = createAdminClient({
      room: 'demo',
      token: 't',
      fetch: (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch,
    });
    expect(((await offline.stats().catch((e: unknown) => e)) as AdminError).code).to.equal(
      'network',
    );
    const { fetchImpl } = recordingFetch(() => new Response('<html>login</html>', { status: 200 }));
    const portal = createAdminClient({ room: 'demo', token: 't', fetch: fetchImpl });
    expect(((await portal.stats().catch((e: unknown) => e)) as AdminError).code).to.equal(
      'bad_response',
    );
  });
});
