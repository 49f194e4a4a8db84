/**
 * Conformance cases of places bound to a signed-in person (docs/identity.md): the codes
 * `identity_required`, `token_lifetime_too_long` and `place_released`, and the `identity` mode
 * of state and join answers. Server-only: they configure a room with identity through the
 * admin API, which the mocks' simulator does not offer.
 */
import assert from 'node:assert/strict';
import { ADMIN_TOKEN } from '../server/helpers/test-server.js';
import { createIdentitySite } from '../server/support/identity-site.js';
import type { IdentitySite } from '../server/support/identity-site.js';
import { admit, expectError, expectOk, join, joinOk } from './suite.js';
import type { ConformanceCase, Target } from './suite.js';

/** Creates `room` with the identity of a fresh site, plus `settings`. */
async function identityRoom(
  t: Target,
  room: string,
  settings: Record<string, unknown> = {},
): Promise<IdentitySite> {
  const server = t.server!;
  const site = await createIdentitySite(server.clock.now);
  const put = await fetch(`${server.url}/admin/rooms/${room}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ admitPerMinute: 0, identity: site.identity, ...settings }),
  });
  assert.equal(put.status, 201, await put.text());
  return site;
}

export const IDENTITY_CASES: ConformanceCase[] = [
  {
    name: 'join: identity rules (required, the assertion refused with token "identity")',
    codes: ['identity_required', 'token_lifetime_too_long'],
    serverOnly: true,
    async run(t) {
      const site = await identityRoom(t, 'people', { identityRequired: true });
      const state = (await (await t.fetch('/rooms/people/state')).json()) as { identity?: string };
      assert.equal(state.identity, 'required', 'the cacheable state tells clients to sign in');
      await expectError(await join(t, {}, 'people'), 401, 'identity_required');
      const long = await site.assert({ lifetimeSec: 86_400 });
      const refused = await expectError(
        await join(t, { identity: long }, 'people'),
        401,
        'token_lifetime_too_long',
      );
      assert.equal(refused.error.token, 'identity');
      const joined = await expectOk(await join(t, { identity: await site.assert() }, 'people'));
      assert.equal(joined.identity, 'required');
      assert.equal(joined.seq, 1);
    },
  },
  {
    name: "admit: a place given up for the same person's other place, 410 place_released",
    codes: ['place_released'],
    serverOnly: true,
    async run(t) {
      const site = await identityRoom(t, 'people');
      const bound = await joinOk(t, { identity: await site.assert() }, 'people');
      const later = await joinOk(t, {}, 'people');
      const kept = await joinOk(
        t,
        { identity: await site.assert(), ticket: later.ticket },
        'people',
      );
      assert.equal(kept.seq, bound.seq);
      await t.server!.service.advance('people', later.seq);
      await expectError(await admit(t, later.ticket, 'people'), 410, 'place_released');
      await expectError(await join(t, { ticket: later.ticket }, 'people'), 410, 'place_released');
    },
  },
];
