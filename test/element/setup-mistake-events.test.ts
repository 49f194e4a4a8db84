/**
 * A setup mistake (`room_not_found`, `origin_not_allowed`) reaches the page once, even when a
 * timeout or a network failure comes between two refusals (seen under load as a second event);
 * it is news again only after the server has answered normally.
 */
import { expect } from '@open-wc/testing';
import { emptySnapshot } from '../../src/core/empty-snapshot.js';
import type { QueueProblem, QueueSnapshot } from '../../src/core/types.js';
import type { QueueGateErrorEvent } from '../../src/element/events.js';
import { createLocalizer } from '../../src/element/localize.js';
import { emitSnapshotEvents, type ReactionHost } from '../../src/element/snapshot-reactions.js';
import { TitleNudge } from '../../src/element/title-nudge.js';

const problem = (code: QueueProblem['code']): QueueProblem => ({ code, message: code });
const reconnecting = (code: QueueProblem['code']): QueueSnapshot => ({
  ...emptySnapshot('demo', 'https://queue.test'),
  status: 'reconnecting',
  problem: problem(code),
});
const waiting: QueueSnapshot = {
  ...emptySnapshot('demo', 'https://queue.test'),
  status: 'waiting',
  seq: 1,
};

/** Plays `snapshots` through the reactions; returns the error codes the page heard. */
function play(snapshots: QueueSnapshot[]): string[] {
  const heard: string[] = [];
  const host: ReactionHost = {
    notify: false,
    titleNudge: new TitleNudge(),
    reportedSetupCodes: new Set(),
    emit: (event) => {
      if (event.type === 'queue-gate-error')
        heard.push((event as QueueGateErrorEvent).problem.code);
      return true;
    },
  };
  let previous: QueueSnapshot | null = null;
  for (const next of snapshots) {
    emitSnapshotEvents(host, next, previous, createLocalizer('en'));
    previous = next;
  }
  return heard;
}

describe('queue-gate-error for setup mistakes', () => {
  for (const code of ['room_not_found', 'origin_not_allowed'] as const) {
    it(`reports ${code} once across timeouts and network failures between refusals`, () => {
      const heard = play([
        reconnecting(code),
        reconnecting('timeout'),
        reconnecting(code),
        reconnecting('network'),
        reconnecting(code),
      ]);
      expect(heard).to.deep.equal([code]);
    });

    it(`reports ${code} again after the server answered normally in between`, () => {
      expect(play([reconnecting(code), waiting, reconnecting(code)])).to.deep.equal([code, code]);
    });
  }
});
