import { expect } from '@open-wc/testing';
import { useMswEngine } from './helpers/msw-engine.js';
import { uniqueRoom } from './helpers/test-doubles.js';

const ENDPOINT = 'https://queue-engine.msw.test';

describe('queue-engine through a real MSW service worker and the real fetch', () => {
  const { clock, simulator, start, snapshot, settle } = useMswEngine(
    ENDPOINT,
    uniqueRoom(),
    { issued: 7, serving: 0 },
    5,
  );

  it('joins, keeps the place through a dropped connection and reaches admission', async () => {
    start();
    await settle((s) => s.status === 'waiting', 'never joined');
    expect(snapshot().seq).to.equal(8);
    expect(snapshot().position).to.equal(8);

    simulator.failNext(1, { kind: 'network' });
    await clock.runNext();
    await settle((s) => s.status === 'reconnecting', 'never reconnected');
    expect(snapshot().problem?.code).to.equal('network');
    expect(snapshot().seq).to.equal(8);

    simulator.advance(8);
    await clock.runNext();
    await settle((s) => s.status === 'admitted', 'never admitted');
    expect(snapshot().admission).to.match(/^[\w-]+\.[\w-]+\.[\w-]*$/);
    expect(simulator.requests.map((request) => request.path.split('/').pop())).to.deep.equal([
      'join',
      'state',
      'state',
      'admit',
    ]);
  });
});
