import { expect, waitUntil } from '@open-wc/testing';
import type { SetupWorker } from 'msw/browser';
import { createManualClock } from '../../src/core/manual-clock.js';
import { createQueueEngine } from '../../src/core/queue-engine.js';
import type { QueueEngine } from '../../src/core/types.js';
import { startMockWorker } from '../../src/mocks/browser.js';
import { createQueueSimulator } from '../../src/mocks/queue-simulator.js';
import {
  manualLifecycle,
  memoryStorage,
  seededRandom,
  uniqueRoom,
} from './helpers/test-doubles.js';

const ENDPOINT = 'https://queue-engine.msw.test';

describe('queue-engine through a real MSW service worker and the real fetch', () => {
  const room = uniqueRoom();
  const clock = createManualClock();
  const simulator = createQueueSimulator({ room, issued: 7, serving: 0, now: clock.now });
  let worker: SetupWorker;
  let engine: QueueEngine | null = null;

  before(async () => {
    worker = await startMockWorker(simulator, { baseUrl: ENDPOINT, quiet: true });
  });
  after(() => worker.stop());
  afterEach(() => engine?.stop());

  const snapshot = () => engine!.getSnapshot();

  it('joins, keeps the place through a dropped connection and reaches admission', async () => {
    engine = createQueueEngine({
      endpoint: ENDPOINT,
      room,
      storage: memoryStorage(),
      clock,
      random: seededRandom(5),
      lifecycle: manualLifecycle(),
      coordinator: null,
    });
    engine.start();
    await waitUntil(() => snapshot().status === 'waiting', 'never joined', { timeout: 5000 });
    expect(snapshot().seq).to.equal(8);
    expect(snapshot().position).to.equal(8);

    simulator.failNext(1, { kind: 'network' });
    await clock.runNext();
    await waitUntil(() => snapshot().status === 'reconnecting', 'never reconnected', {
      timeout: 5000,
    });
    expect(snapshot().problem?.code).to.equal('network');
    expect(snapshot().seq).to.equal(8);

    simulator.advance(8);
    await clock.runNext();
    await waitUntil(() => snapshot().status === 'admitted', 'never admitted', { timeout: 5000 });
    expect(snapshot().admission).to.match(/^[\w-]+\.[\w-]+\.[\w-]*$/);
    expect(simulator.requests.map((request) => request.path.split('/').pop())).to.deep.equal([
      'join',
      'state',
      'state',
      'admit',
    ]);
  });
});
