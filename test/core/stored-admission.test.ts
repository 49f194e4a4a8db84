import { expect, waitUntil } from '@open-wc/testing';
import type { SetupWorker } from 'msw/browser';
import { TOKEN_TYPES } from '../../src/protocol.js';
import { createManualClock } from '../../src/core/manual-clock.js';
import { createQueueEngine } from '../../src/core/queue-engine.js';
import { ticketStorageKey } from '../../src/core/ticket-store.js';
import type { StorageLike, StoredTicket } from '../../src/core/ticket-store.js';
import type { QueueEngine, QueueSnapshot } from '../../src/core/types.js';
import { startMockWorker } from '../../src/mocks/browser.js';
import { decodeMockToken, encodeMockToken } from '../../src/mocks/mock-token.js';
import { createQueueSimulator } from '../../src/mocks/queue-simulator.js';
import { ENDPOINT, createHarness } from './helpers/engine-harness.js';
import {
  manualLifecycle,
  memoryStorage,
  seededRandom,
  uniqueRoom,
} from './helpers/test-doubles.js';

/** An admission nobody issued, as a "skip the line" script would write it into storage. */
function forgedAdmission(seq: number): string {
  return encodeMockToken(
    TOKEN_TYPES.admission,
    { sub: 'me', seq, aud: 'queue-gate-demo', jti: 'made-up', placeExp: 9e9 },
    'forged',
  );
}

/** Writes `admission` next to the stored ticket of `room`, valid for a minute more. */
function plant(
  storage: StorageLike,
  room: string,
  admission: string,
  now: number,
  endpoint = ENDPOINT,
) {
  const key = ticketStorageKey(endpoint, room);
  const stored = JSON.parse(storage.getItem(key)!) as StoredTicket;
  storage.setItem(key, JSON.stringify({ ...stored, admission, admissionExpiresAt: now + 60_000 }));
  return stored;
}

function record(engine: QueueEngine): QueueSnapshot[] {
  const seen = [engine.getSnapshot()];
  engine.subscribe((s) => seen.push(s));
  return seen;
}

describe('a stored admission is confirmed with the server before the form is revealed', () => {
  let harness: ReturnType<typeof createHarness>;
  afterEach(() => harness?.stopAll());

  it('claims again with the ticket and shows only the admission the server returns', async () => {
    harness = createHarness({ simulator: { issued: 10, serving: 11 } });
    const first = harness.engine({ witnessStorage: memoryStorage() });
    first.start();
    const real = await harness.until(first, (s) => s.status === 'admitted');
    first.stop();
    const forged = forgedAdmission(11);
    const stored = plant(harness.storage, harness.room, forged, harness.clock.now());
    harness.simulator.clearRequests();

    // A new tab: its sessionStorage has no witness to compare with.
    const tab = harness.engine({ witnessStorage: memoryStorage() });
    const seen = record(tab);
    tab.start();
    const shown = await harness.until(tab, (s) => s.status === 'admitted');

    expect(shown.admission).to.equal(real.admission);
    expect(seen.some((s) => s.admission === forged)).to.equal(false);
    expect(seen.map((s) => s.status).filter((s) => s !== 'idle')).to.deep.equal([
      'admitting',
      'admitted',
    ]);
    const admits = harness.requestsTo('admit');
    expect(admits.map((a) => [a.ticket === stored.ticket, a.status])).to.deep.equal([[true, 200]]);
    const kept = JSON.parse(harness.storage.getItem(ticketStorageKey(ENDPOINT, harness.room))!);
    expect(kept.admission).to.equal(real.admission);
  });

  it('never reveals a forged admission next to a ticket whose turn has not come', async () => {
    harness = createHarness({ simulator: { issued: 10, serving: 0 } });
    const first = harness.engine({ witnessStorage: memoryStorage() });
    first.start();
    await harness.until(first, (s) => s.status === 'waiting');
    first.stop();
    plant(harness.storage, harness.room, forgedAdmission(11), harness.clock.now());

    const tab = harness.engine({ witnessStorage: memoryStorage() });
    const seen = record(tab);
    tab.start();
    const back = await harness.until(tab, (s) => s.status === 'waiting');
    await harness.clock.advance(30_000);

    expect(back.seq).to.equal(11);
    expect(seen.some((s) => s.status === 'admitted' || s.admission !== null)).to.equal(false);
    expect(harness.requestsTo('admit').map((a) => a.status)).to.deep.equal([409]);
  });

  it('follows the refusal path when the server refuses the ticket', async () => {
    harness = createHarness({ simulator: { issued: 10, serving: 11 } });
    const first = harness.engine({ witnessStorage: memoryStorage() });
    first.start();
    await harness.until(first, (s) => s.status === 'admitted');
    first.stop();
    harness.simulator.rejectTickets('token_bad_signature');

    const tab = harness.engine({ witnessStorage: memoryStorage() });
    const seen = record(tab);
    tab.start();
    const rejected = await harness.until(tab, (s) => s.status === 'rejected');
    expect(rejected.rejection?.code).to.equal('token_bad_signature');
    expect(seen.some((s) => s.status === 'admitted')).to.equal(false);
    expect(harness.storage.getItem(ticketStorageKey(ENDPOINT, harness.room))).to.equal(null);
  });
});

describe('a stored admission, confirmed through a real MSW service worker', () => {
  const endpoint = 'https://stored-admission.msw.test';
  const room = uniqueRoom('stored-admission');
  const clock = createManualClock();
  const simulator = createQueueSimulator({ room, issued: 4, serving: 0, now: clock.now });
  const storage = memoryStorage();
  let worker: SetupWorker;
  const engines: QueueEngine[] = [];

  before(async () => {
    worker = await startMockWorker(simulator, { baseUrl: endpoint, quiet: true });
  });
  after(() => worker.stop());
  afterEach(() => engines.forEach((engine) => engine.stop()));

  const tab = () => {
    const engine = createQueueEngine({
      endpoint,
      room,
      storage,
      witnessStorage: memoryStorage(),
      clock,
      random: seededRandom(3),
      lifecycle: manualLifecycle(),
      coordinator: null,
    });
    engines.push(engine);
    return engine;
  };
  const settled = async (engine: QueueEngine, status: QueueSnapshot['status']) => {
    await waitUntil(() => engine.getSnapshot().status === status, `never ${status}`, {
      timeout: 5000,
    });
    return engine.getSnapshot();
  };

  it('shows the waiting screen, not the form, for a forged admission; the real one once served', async () => {
    const first = tab();
    first.start();
    await settled(first, 'waiting');
    first.stop();
    const forged = forgedAdmission(5);
    plant(storage, room, forged, clock.now(), endpoint);

    const second = tab();
    const seen = record(second);
    second.start();
    expect(second.getSnapshot().status).to.equal('admitting');
    const waiting = await settled(second, 'waiting');
    expect(waiting.seq).to.equal(5);
    expect(seen.some((s) => s.status === 'admitted')).to.equal(false);

    simulator.advance(5);
    await clock.runNext();
    const admitted = await settled(second, 'admitted');
    expect(admitted.admission).to.not.equal(forged);
    expect(decodeMockToken(admitted.admission!)?.seq).to.equal(5);
    expect(simulator.requests.map((r) => `${r.path.split('/').pop()} ${r.status}`)).to.deep.equal([
      'join 200',
      'admit 409',
      'state 200',
      'admit 200',
    ]);
  });
});
