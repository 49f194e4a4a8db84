import { expect } from '@open-wc/testing';
import { ticketStorageKey } from '../../src/core/ticket-store.js';
import { ENDPOINT, createHarness } from './helpers/engine-harness.js';
import { memoryStorage } from './helpers/test-doubles.js';

type Harness = ReturnType<typeof createHarness>;

/**
 * The site's data is cleared while the page waits (a logout script's `localStorage.clear()`,
 * "clear site data", another tab): the page still holds the place and keeps saying a reload is
 * safe, so storage must get the ticket back, or the reload takes a new place at the back.
 */
describe('storage cleared while a visitor waits (audit)', () => {
  let harness: Harness;
  afterEach(() => harness?.stopAll());

  it('writes the ticket back at the next answer, so a reload keeps the place', async () => {
    harness = createHarness({ simulator: { issued: 20, serving: 0 } });
    const { engine, until, storage, clock, simulator, room } = harness;
    const witness = memoryStorage();
    const tab = engine({ witnessStorage: witness });
    tab.start();
    const waiting = await until(tab, (s) => s.status === 'waiting');
    expect(waiting.seq).to.equal(21);

    const key = ticketStorageKey(ENDPOINT, room);
    storage.removeItem(key);
    witness.removeItem(key);
    await clock.runNext(); // the next state poll
    await until(tab, (s) => s.status === 'waiting' && s.lastUpdatedAt === clock.now());
    expect(JSON.parse(storage.getItem(key) ?? 'null')).to.include({ seq: 21 });

    tab.stop();
    const reloaded = engine({ witnessStorage: witness });
    reloaded.start();
    const back = await until(reloaded, (s) => s.status === 'waiting');
    expect(back.seq).to.equal(21);
    expect((await simulator.snapshot()).issued).to.equal(21);
  });

  it('writes the ticket back when the page goes away, for a reload right after the clearing', async () => {
    harness = createHarness({ simulator: { issued: 5, serving: 0 } });
    const { engine, until, storage, room } = harness;
    const tab = engine();
    tab.start();
    await until(tab, (s) => s.status === 'waiting');
    const key = ticketStorageKey(ENDPOINT, room);
    storage.removeItem(key);
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    expect(JSON.parse(storage.getItem(key) ?? 'null')).to.include({ seq: 6 });
  });

  it('does not write back a ticket the visitor gave up (join again)', async () => {
    harness = createHarness({ simulator: { issued: 0, serving: 0 } });
    const { engine, until, storage, room } = harness;
    const tab = engine();
    tab.start();
    await until(tab, (s) => s.status === 'waiting');
    tab.rejoin();
    const again = await until(tab, (s) => s.status === 'waiting' && s.seq === 2);
    const key = ticketStorageKey(ENDPOINT, room);
    expect(JSON.parse(storage.getItem(key) ?? 'null')).to.include({ seq: again.seq });
  });
});
