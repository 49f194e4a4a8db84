import { expect, fixtureSync, html } from '@open-wc/testing';
import { checkFairnessRecord } from '../../demo/fairness-checks.js';
import type { FairnessRecord } from '../../src/protocol.js';
import { createFairnessRecorder } from '../../src/server/fairness-recorder.js';
import { createDrawSeed } from '../../src/server/opening-draw.js';
import type { DrawRecord, RoomRecord } from '../../src/server/store/queue-store.js';
import { createTokenSigner } from '../../src/server/token-signer.js';

const T0 = Date.UTC(2026, 10, 23, 11, 0, 0);
const ENTRANTS = ['0b7d5c3e-9a51-4f7e-8d0c-2f8a4b6c1e90', '5e2f0a9d-1c3b-4d8e-9f7a-6b5c4d3e2f10'];

/** A record signed by a real signer, built in the browser as the server builds it. */
async function signedRecord(patch: Partial<DrawRecord> = {}) {
  const signer = await createTokenSigner({ issuer: 'https://queue.test', now: () => T0 + 90_000 });
  const { seed, commitment } = await createDrawSeed();
  const draw: DrawRecord = {
    seed,
    commitment,
    committedAt: T0,
    opensAt: T0 + 60_000,
    drawnAt: T0 + 61_000,
    base: 0,
    entrants: ENTRANTS,
    ...patch,
  };
  const room = {
    room: 'demo',
    serving: 1,
    issued: 2,
    config: { opensAt: T0 + 60_000 },
  } as unknown as RoomRecord;
  const record = await createFairnessRecorder({ signer }).build(room, draw, T0 + 90_000);
  return { record, jwks: signer.jwks() };
}

const facts = (list: HTMLElement) =>
  [...list.querySelectorAll('li')].map((item) => [item.dataset.check, item.dataset.ok]);

describe('demo fairness checks (the audit, in the browser)', () => {
  it('shows every fact of an honest record in green', async () => {
    const list = fixtureSync<HTMLElement>(html`<ul></ul>`);
    const { record, jwks } = await signedRecord();
    await checkFairnessRecord(list, record, 'demo', async () => jwks);
    const shown = facts(list);
    expect(shown).to.deep.include(['seed-matches-commitment', 'true']);
    expect(shown).to.deep.include(['entrants-match', 'true']);
    expect(shown.every(([, ok]) => ok === 'true')).to.equal(true);
    expect(list.querySelector('li')!.textContent).to.match(/^✓ /);
  });

  it('shows an altered seed or entrant list in red', async () => {
    const list = fixtureSync<HTMLElement>(html`<ul></ul>`);
    const { record, jwks } = await signedRecord();
    const forged: FairnessRecord = {
      ...record,
      draw: { ...record.draw!, seed: 'ab'.repeat(32), entrants: [ENTRANTS[0]!] },
    };
    await checkFairnessRecord(list, forged, 'demo', async () => jwks);
    const shown = facts(list);
    expect(shown).to.deep.include(['seed-matches-commitment', 'false']);
    expect(shown).to.deep.include(['entrants-match', 'false']);
    const red = list.querySelector<HTMLElement>('li[data-ok="false"]')!;
    expect(red.textContent).to.match(/^✗ /);
  });

  it('shows the beacon of a draw bound to one: green when honest, red when its value was altered', async () => {
    const list = fixtureSync<HTMLElement>(html`<ul></ul>`);
    const beacon = { id: 'drand-quicknet', round: 42 };
    const { record, jwks } = await signedRecord({ beacon, beaconValue: 'ab'.repeat(32) });
    await checkFairnessRecord(list, record, 'demo', async () => jwks);
    expect(facts(list)).to.deep.include(['beacon-committed', 'true']);
    expect(facts(list)).to.deep.include(['beacon-value-matches', 'true']);
    const altered: FairnessRecord = {
      ...record,
      draw: { ...record.draw!, beacon: { ...beacon, value: 'cd'.repeat(32) } },
    };
    await checkFairnessRecord(list, altered, 'demo', async () => jwks);
    expect(facts(list)).to.deep.include(['beacon-value-matches', 'false']);
  });

  it('shows a key set it cannot read as one red fact', async () => {
    const list = fixtureSync<HTMLElement>(html`<ul></ul>`);
    const { record } = await signedRecord();
    await checkFairnessRecord(list, record, 'demo', async () => {
      throw new Error('HTTP 503');
    });
    expect(facts(list)).to.deep.equal([['keys', 'false']]);
  });
});
