import { expect } from '@open-wc/testing';
import { TOKEN_TYPES } from '../../src/protocol.js';
import { createTabCoordinator } from '../../src/core/tab-coordinator.js';
import { ticketStorageKey } from '../../src/core/ticket-store.js';
import type { StoredTicket } from '../../src/core/ticket-store.js';
import type { QueueEngine, QueueSnapshot } from '../../src/core/types.js';
import { decodeMockToken, encodeMockToken } from '../../src/mocks/mock-token.js';
import { ENDPOINT, createHarness } from './helpers/engine-harness.js';
import { memoryStorage } from './helpers/test-doubles.js';

type Harness = ReturnType<typeof createHarness>;

describe('DevTools tricks on storage', () => {
  let harness: Harness;
  afterEach(() => harness?.stopAll());

  /** Joins once in a "tab" whose sessionStorage is `witness`, then closes it. */
  async function joinAndClose(witness = memoryStorage()) {
    harness = createHarness({ simulator: { issued: 50, serving: 0 } });
    const first = harness.engine({ witnessStorage: witness });
    first.start();
    const waiting = await harness.until(first, (s) => s.status === 'waiting');
    first.stop();
    const key = ticketStorageKey(ENDPOINT, harness.room);
    const stored = JSON.parse(harness.storage.getItem(key)!) as StoredTicket;
    const edit = (change: (value: StoredTicket) => StoredTicket) =>
      harness.storage.setItem(key, JSON.stringify(change(stored)));
    const read = () => JSON.parse(harness.storage.getItem(key) ?? 'null') as StoredTicket | null;
    return { witness, waiting, stored, edit, read };
  }

  function recordSnapshots(engine: QueueEngine): QueueSnapshot[] {
    const seen: QueueSnapshot[] = [engine.getSnapshot()];
    engine.subscribe((snapshot) => seen.push(snapshot));
    return seen;
  }

  it('a forged ticket with a lowered seq is refused by the server, and the visitor keeps their real place', async () => {
    const { witness, waiting, stored, edit, read } = await joinAndClose();
    expect(waiting.seq).to.equal(51);
    const claims = decodeMockToken(stored.ticket)!;
    const forged = encodeMockToken(TOKEN_TYPES.ticket, { ...claims, seq: 2 }, 'forged');
    edit((value) => ({ ...value, ticket: forged, seq: 2 }));

    const { engine, until, simulator, requestsTo } = harness;
    simulator.clearRequests();
    const reloaded = engine({ witnessStorage: witness });
    const seen = recordSnapshots(reloaded);
    reloaded.start();
    const kept = await until(reloaded, (s) => s.status === 'waiting');

    expect(kept).to.include({ seq: 51, position: 51, rejection: null });
    expect(seen.some((s) => s.status === 'rejected')).to.equal(false);
    const joins = requestsTo('join');
    expect(joins.map((join) => [join.ticket === forged, join.status])).to.deep.equal([
      [true, 401],
      [false, 200],
    ]);
    expect(joins[1]?.ticket).to.equal(stored.ticket);
    expect(read()).to.include({ ticket: stored.ticket, seq: 51 });

    simulator.advance(51);
    await harness.clock.runNext();
    const admitted = await until(reloaded, (s) => s.status === 'admitted');
    expect(decodeMockToken(admitted.admission!)?.seq).to.equal(51);
    expect(requestsTo('admit').every((admit) => admit.ticket === stored.ticket)).to.equal(true);
  });

  it('never shows a hand-lowered seq next to the real ticket, and storage gets the real one back', async () => {
    const { witness, edit, read } = await joinAndClose();
    edit((value) => ({ ...value, seq: 1 }));

    const reloaded = harness.engine({ witnessStorage: witness });
    const seen = recordSnapshots(reloaded);
    reloaded.start();
    await harness.until(reloaded, (s) => s.status === 'waiting');

    expect([...new Set(seen.map((s) => s.seq))]).to.deep.equal([null, 51]);
    expect(read()?.seq).to.equal(51);
  });

  it('does not show a forged admission in storage as an admission', async () => {
    const { witness, edit } = await joinAndClose();
    const forgedAdmission = encodeMockToken(
      TOKEN_TYPES.admission,
      { sub: 'me', seq: 51, aud: 'queue-gate-demo', jti: 'made-up' },
      'forged',
    );
    edit((value) => ({
      ...value,
      admission: forgedAdmission,
      admissionExpiresAt: harness.clock.now() + 60_000,
    }));

    const reloaded = harness.engine({ witnessStorage: witness });
    const seen = recordSnapshots(reloaded);
    reloaded.start();
    const settled = await harness.until(reloaded, (s) => s.status === 'waiting');

    expect(settled.admission).to.equal(null);
    expect(seen.some((s) => s.admission === forgedAdmission)).to.equal(false);
    expect(seen.some((s) => s.status === 'admitted')).to.equal(false);
    expect(harness.requestsTo('admit')).to.have.length(0);
  });

  it('still rejects when the server refuses the very ticket it gave this tab, without retrying it', async () => {
    const { witness, read } = await joinAndClose();
    harness.simulator.rejectTickets('token_bad_signature');
    harness.simulator.clearRequests();

    const reloaded = harness.engine({ witnessStorage: witness });
    reloaded.start();
    const rejected = await harness.until(reloaded, (s) => s.status === 'rejected');
    await harness.clock.advance(120_000);

    expect(rejected.rejection?.code).to.equal('token_bad_signature');
    expect(harness.requestsTo('join')).to.have.length(1);
    expect(read()).to.equal(null);
    expect(witness.data.size).to.equal(0);
  });
});

describe('k tabs get one seq', () => {
  let harness: Harness;
  afterEach(() => harness?.stopAll());

  for (const election of ['Web Locks', 'the storage lease'] as const) {
    it(`gives three tabs opened together one place with one join (${election})`, async () => {
      harness = createHarness({ simulator: { issued: 9, serving: 0 } });
      const { engine, until, clock, room, storage, requestsTo, simulator } = harness;
      const tabs = [0, 1, 2].map(() =>
        engine({
          witnessStorage: memoryStorage(),
          coordinator: createTabCoordinator({
            room,
            endpoint: ENDPOINT,
            storage,
            clock,
            ...(election === 'the storage lease' ? { locks: null } : {}),
          }),
        }),
      );
      tabs.forEach((tab) => tab.start());
      const settled = await Promise.all(tabs.map((tab) => until(tab, (s) => s.seq !== null)));

      expect(settled.map((s) => s.seq)).to.deep.equal([10, 10, 10]);
      expect(settled.filter((s) => s.isLeader)).to.have.length(1);
      expect(requestsTo('join')).to.have.length(1);
      expect((await simulator.snapshot()).issued).to.equal(10);

      // Closing tabs one by one hands the same place on; nobody joins afresh.
      const leaderIndex = settled.findIndex((s) => s.isLeader);
      tabs[leaderIndex]!.stop();
      const rest = tabs.filter((_, i) => i !== leaderIndex);
      await clock.advance(5000);
      const next = await until(rest[0]!, () => rest.some((tab) => tab.getSnapshot().isLeader));
      expect(next.seq).to.equal(10);
      expect(requestsTo('join').every((join, i) => i === 0 || join.ticket !== undefined)).to.equal(
        true,
      );
      expect((await simulator.snapshot()).issued).to.equal(10);
    });
  }
});
