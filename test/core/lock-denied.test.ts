/**
 * Where the browser denies the Web Locks API (a cross-site iframe whose browser blocks
 * third-party storage, a sandboxed frame), a tab leads alone instead of waiting forever for a
 * lock it will never get — the visitor would otherwise stay on "Getting your place in line…"
 * without a single request sent.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { requestLeadership } from '../../src/core/lock-leadership.js';
import { emptySnapshot } from '../../src/core/empty-snapshot.js';
import { createTabCoordinator } from '../../src/core/tab-coordinator.js';
import { tabChannelName } from '../../src/core/tab-messages.js';
import { ENDPOINT } from './helpers/engine-harness.js';
import { memoryStorage, uniqueRoom } from './helpers/test-doubles.js';

/** A lock manager that refuses every request as Chromium does where storage is blocked. */
const deniedLocks = (how: 'reject' | 'throw'): LockManager =>
  ({
    request: () => {
      const error = new DOMException('The request was denied.', 'SecurityError');
      if (how === 'throw') throw error;
      return Promise.reject(error);
    },
    query: () => Promise.reject(new DOMException('denied', 'SecurityError')),
  }) as unknown as LockManager;

/** Runs `source` in a sandboxed (opaque-origin) iframe and resolves with what it posts back. */
function inSandboxedFrame(source: string): Promise<unknown> {
  return new Promise((resolve) => {
    const frame = document.createElement('iframe');
    frame.sandbox.add('allow-scripts');
    const onMessage = (event: MessageEvent) => {
      if (event.source !== frame.contentWindow) return;
      window.removeEventListener('message', onMessage);
      frame.remove();
      resolve(event.data);
    };
    window.addEventListener('message', onMessage);
    frame.srcdoc = `<script>${source}</script>`;
    document.body.append(frame);
  });
}

describe('leadership where the browser denies Web Locks', () => {
  it('is what Chromium does in a frame without its own storage (the premise)', async () => {
    const outcome = await inSandboxedFrame(`
      let storage = 'allowed';
      try { localStorage.getItem('x'); } catch (error) { storage = error.name; }
      navigator.locks.request('queue-gate:probe', () => undefined).then(
        () => parent.postMessage({ storage, locks: 'granted' }, '*'),
        (error) => parent.postMessage({ storage, locks: error.name }, '*'),
      );
    `);
    expect(outcome).to.deep.equal({ storage: 'SecurityError', locks: 'SecurityError' });
  });

  for (const how of ['reject', 'throw'] as const) {
    it(`leads alone when the lock request is refused (${how})`, async () => {
      const changes: boolean[] = [];
      const coordinator = createTabCoordinator({
        room: uniqueRoom(),
        endpoint: ENDPOINT,
        storage: memoryStorage(),
        locks: deniedLocks(how),
      });
      coordinator.start({
        onLeadershipChange: (isLeader) => changes.push(isLeader),
        onSnapshot: () => {},
        onCommand: () => {},
      });
      await waitUntil(() => coordinator.isLeader, 'the tab never led');
      expect(changes).to.deep.equal([true]);
      coordinator.stop();
    });
  }

  it('leaves the channel when refused: another tab of the origin is neither shown its place nor shows it one', async () => {
    const room = uniqueRoom();
    const alone = createTabCoordinator({
      room,
      endpoint: ENDPOINT,
      storage: memoryStorage(),
      locks: deniedLocks('reject'),
    });
    const mirrored: number[] = [];
    alone.start({
      onLeadershipChange: () => {},
      onSnapshot: (s) => mirrored.push(s.seq ?? -1),
      onCommand: () => {},
    });
    await waitUntil(() => alone.isLeader, 'the tab never led');
    alone.publish({ ...emptySnapshot(room, ENDPOINT, true), seq: 1 });

    // A tab of its own on the same origin, whose storage and locks work (a follower here).
    const other = new BroadcastChannel(tabChannelName(room, ENDPOINT));
    const heard: unknown[] = [];
    other.addEventListener('message', (event) => heard.push(event.data));
    other.postMessage({ ns: 'queue-gate', v: 1, type: 'hello', from: 'other-tab' });
    other.postMessage({
      ns: 'queue-gate',
      v: 1,
      type: 'snapshot',
      from: 'other-tab',
      snapshot: { ...emptySnapshot(room, ENDPOINT), seq: 2 },
    });
    alone.publish({ ...emptySnapshot(room, ENDPOINT, true), seq: 1 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    other.close();
    alone.stop();
    expect(heard, 'nothing of the refused tab reaches the other').to.deep.equal([]);
    expect(mirrored, 'nothing of the other reaches the refused tab').to.deep.equal([]);
  });

  it('does not count its own abort (a tab that stopped while following) as a refusal', async () => {
    let denied = 0;
    const lockName = `queue-gate:test:${uniqueRoom()}`;
    // Another holder keeps the lock, so this request waits and is then aborted.
    let releaseOther: () => void = () => {};
    const held = new Promise<void>((resolve) => (releaseOther = resolve));
    const otherGranted = new Promise<void>((granted) => {
      void navigator.locks.request(lockName, () => {
        granted();
        return held;
      });
    });
    await otherGranted;
    let stillWanted = true;
    const hold = requestLeadership(
      navigator.locks,
      lockName,
      () => stillWanted,
      () => expect.fail('granted while another tab holds the lock'),
      () => denied++,
    );
    stillWanted = false;
    hold.release();
    releaseOther();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(denied).to.equal(0);
  });
});
