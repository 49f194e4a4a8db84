import { expect, fixtureSync, html } from '@open-wc/testing';
import { readFairnessRecord, showFairnessRecord } from '../../demo/fairness-panel.js';
import type { FairnessRecord } from '../../src/protocol.js';

const T0 = Date.UTC(2026, 10, 23, 11, 0, 0);

function panel(): HTMLElement {
  return fixtureSync<HTMLElement>(
    html`<section>
      <svg id="fairness-chart" viewBox="0 0 320 120" role="img" aria-label="chart">
        <path id="fairness-issued" d="" />
        <path id="fairness-serving" d="" />
      </svg>
      <span id="fairness-range"></span>
      <dd id="fairness-per-minute"></dd>
      <dd id="fairness-snapshots"></dd>
      <dd id="fairness-commitment"></dd>
      <dd id="fairness-seed"></dd>
      <dd id="fairness-beacon"></dd>
      <p id="fairness-status"></p>
    </section>`,
  );
}

const record = (overrides: Partial<FairnessRecord> = {}): FairnessRecord => ({
  room: 'demo',
  draw: {
    commitment: 'c'.repeat(64),
    committedAt: T0,
    opensAt: T0 + 60_000,
    seed: 'a'.repeat(64),
    drawnAt: T0 + 60_000,
    base: 0,
    entrants: ['x', 'y', 'z'],
    entrantCount: 3,
  },
  series: [
    { at: T0, serving: 0, issued: 10 },
    { at: T0 + 15_000, serving: 4, issued: 12 },
    { at: T0 + 30_000, serving: 9, issued: 15 },
  ],
  admissionsPerMinute: [
    { minute: T0, count: 4 },
    { minute: T0 + 60_000, count: 5 },
  ],
  snapshots: ['a.b.c', 'd.e.f'],
  signed: { commitment: 'g.h.i', reveal: 'j.k.l', series: 'm.n.o' },
  jwks: '/.well-known/jwks.json',
  updatedAt: T0 + 30_000,
  ...overrides,
});

describe('demo fairness panel', () => {
  it('draws the published series and shows the draw, admissions per minute and snapshots', async () => {
    const root = panel();
    showFairnessRecord(root, record(), String);
    expect(root.querySelector('#fairness-serving')!.getAttribute('d')).to.match(/^M /);
    expect(root.querySelector('#fairness-issued')!.getAttribute('d')).to.match(/^M /);
    expect(root.querySelector('#fairness-range')!.textContent).to.include('serving 9, issued 15');
    expect(root.querySelector('#fairness-per-minute')!.textContent).to.equal('4 · 5');
    expect(root.querySelector('#fairness-snapshots')!.textContent).to.equal('2');
    expect(root.querySelector('#fairness-commitment')!.getAttribute('title')).to.equal(
      'c'.repeat(64),
    );
    expect(root.querySelector('#fairness-seed')!.textContent).to.include('(3 drawn)');
  });

  it('says the seed is secret before the draw and that a room without an opening has no draw', async () => {
    const root = panel();
    const secret = record();
    showFairnessRecord(
      root,
      { ...secret, draw: { ...secret.draw!, seed: null, drawnAt: null, entrants: null } },
      String,
    );
    expect(root.querySelector('#fairness-seed')!.textContent).to.include('secret until');
    showFairnessRecord(root, record({ draw: null }), String);
    expect(root.querySelector('#fairness-commitment')!.textContent).to.equal(
      'no scheduled opening',
    );
  });

  it('shows the beacon round a draw is bound to, and whether its value came', async () => {
    const root = panel();
    const plain = record();
    showFairnessRecord(root, plain, String);
    expect(root.querySelector('#fairness-beacon')!.textContent).to.include('none');
    const beacon = { id: 'drand-quicknet', round: 42, value: null };
    showFairnessRecord(root, { ...plain, draw: { ...plain.draw!, beacon } }, String);
    expect(root.querySelector('#fairness-beacon')!.textContent).to.equal(
      'round 42 of drand-quicknet: waiting for its value',
    );
    const value = 'ab'.repeat(32);
    showFairnessRecord(
      root,
      { ...plain, draw: { ...plain.draw!, beacon: { ...beacon, value } } },
      String,
    );
    expect(root.querySelector('#fairness-beacon')!.getAttribute('title')).to.equal(value);
  });

  it('reads the public record from the room path and reports when it cannot', async () => {
    const root = panel();
    const asked: string[] = [];
    await readFairnessRecord(root, {
      endpoint: 'https://queue.test',
      room: 'demo',
      format: String,
      fetch: async (input) => {
        asked.push(String(input));
        return new Response(JSON.stringify(record()), { status: 200 });
      },
    });
    expect(asked).to.deep.equal(['https://queue.test/rooms/demo/fairness']);
    expect(root.querySelector('#fairness-snapshots')!.textContent).to.equal('2');

    await readFairnessRecord(root, {
      endpoint: 'https://queue.test',
      room: 'demo',
      format: String,
      fetch: async () => new Response('{}', { status: 503 }),
    });
    expect(root.querySelector('#fairness-status')!.textContent).to.include('HTTP 503');
  });
});
