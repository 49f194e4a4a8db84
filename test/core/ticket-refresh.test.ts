import { expect, waitUntil } from '@open-wc/testing';
import { positionAt } from '../../src/core/position-estimate.js';
import { transition } from '../../src/core/queue-machine.js';
import {
  TICKET_REFRESH_MAX_MS,
  nextRefreshBelow,
  refreshDue,
} from '../../src/core/ticket-refresh.js';
import { ticketStorageKey } from '../../src/core/ticket-store.js';
import type { StoredTicket } from '../../src/core/ticket-store.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import { decodeMockToken } from '../../src/mocks/mock-token.js';
import { ENDPOINT, createHarness } from './helpers/engine-harness.js';
import { untilSnapshot } from './helpers/snapshot-wait.js';
import { T0, at, joinAnswer, run, waiting } from './helpers/machine-events.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('ticket refresh on long waits', () => {
  describe('when to ask', () => {
    it('asks with an hour left for a day-long ticket, with a quarter left for a short one', () => {
      const fresh = (lifeMs: number) =>
        nextRefreshBelow({
          previousExpiresAt: null,
          previousBelowMs: null,
          expiresAt: T0 + lifeMs,
          at: T0,
        });
      expect(fresh(24 * HOUR)).to.equal(TICKET_REFRESH_MAX_MS);
      expect(fresh(2 * HOUR)).to.equal(30 * MIN);
      expect(fresh(100)).to.equal(null);
    });

    it('asks again only when half of what was left is gone, if the server kept the same expiry', () => {
      const expiresAt = T0 + 50 * MIN;
      const again = nextRefreshBelow({
        previousExpiresAt: expiresAt,
        previousBelowMs: HOUR,
        expiresAt,
        at: T0,
      });
      expect(again).to.equal(25 * MIN);
      // A join for another reason (a retry) with more than the threshold left changes nothing.
      expect(
        nextRefreshBelow({
          previousExpiresAt: expiresAt,
          previousBelowMs: 10 * MIN,
          expiresAt,
          at: T0,
        }),
      ).to.equal(10 * MIN);
      expect(refreshDue(expiresAt, 25 * MIN, T0 + 24 * MIN)).to.equal(false);
      expect(refreshDue(expiresAt, 25 * MIN, T0 + 26 * MIN)).to.equal(true);
      expect(refreshDue(null, 25 * MIN, T0)).to.equal(false);
    });

    it('replaces the next state poll with a join that presents the ticket once it is due', () => {
      const polling = { ...run(waiting(), at({ type: 'timer', kind: 'poll' }, T0 + 4000)) };
      const answer = at({ type: 'state-received', response: stateAnswer() }, T0 + 5000);
      expect(transition(polling, answer).state.next, 'a day left').to.equal('state');

      const nearEnd = { ...polling, ticketExpiresAt: T0 + 50 * MIN, ticketRefreshBelowMs: HOUR };
      const { state } = transition(nearEnd, answer);
      expect(state.next).to.equal('join');
      expect(state.status).to.equal('waiting');
      const { effects } = transition(state, at({ type: 'timer', kind: 'poll' }, T0 + 9000));
      expect(effects).to.deep.include({ type: 'join', ticket: 'ticket-a' });
    });

    it('takes a new ticket for the same place without treating it as a new place', () => {
      const before = waiting();
      const asked = { ...before, next: 'join' as const };
      const sent = transition(asked, at({ type: 'timer', kind: 'poll' }, T0 + 4000));
      expect(sent.effects).to.deep.include({ type: 'join', ticket: 'ticket-a' });
      const { state, effects } = transition(
        sent.state,
        at(
          {
            type: 'joined',
            response: joinAnswer({ ticket: 'ticket-b', serving: 12, position: 38 }),
          },
          T0 + 4100,
        ),
      );
      expect(state.ticket).to.equal('ticket-b');
      expect(state.seq).to.equal(50);
      expect(state.status).to.equal('waiting');
      expect(effects).to.deep.include({ type: 'persist' });
      // The position already shown (run ahead at 2/s) is kept, not reset to the answer's 38:
      // a new place would have started a new track and shown the visitor moving back.
      const shown = positionAt(before.track!, T0 + 4100);
      expect(shown).to.be.below(38);
      expect(positionAt(state.track!, T0 + 4100)).to.equal(shown);
    });
  });

  describe('in the engine, on a manual clock', () => {
    let harness: ReturnType<typeof createHarness>;
    afterEach(() => harness?.stopAll());

    const storedTicket = () =>
      JSON.parse(
        harness.storage.getItem(ticketStorageKey(ENDPOINT, harness.room)) ?? 'null',
      ) as StoredTicket | null;

    it('refreshes a two-hour ticket during a three-hour wait, keeps the place, and is admitted', async () => {
      harness = createHarness({
        simulator: { issued: 30, serving: 0, ticketTtlSeconds: 2 * 60 * 60, pollAfterMs: 60_000 },
      });
      const { engine, until, clock, simulator, requestsTo } = harness;
      const queue = engine();
      const seen: QueueSnapshot[] = [];
      queue.subscribe((s) => seen.push(s));
      queue.start();
      const first = await until(queue, (s) => s.status === 'waiting');
      const original = storedTicket()!;
      expect(original.seq).to.equal(31);

      await clock.advance(95 * MIN);
      // The refresh answer is signed with WebCrypto, which takes real time: wait for it to be
      // stored rather than assume it arrived within the clock's advance.
      await waitUntil(
        () => storedTicket()?.ticket !== original.ticket,
        'the refreshed ticket was never stored',
        { timeout: 10_000 },
      );
      const joins = requestsTo('join');
      expect(joins.length, 'one refresh join').to.equal(2);
      expect(joins[1]?.ticket).to.equal(original.ticket);
      const refreshed = storedTicket()!;
      expect(refreshed.ticket).to.not.equal(original.ticket);
      expect(refreshed.seq).to.equal(31);
      expect(refreshed.ticketExpiresAt).to.be.greaterThan(original.ticketExpiresAt + HOUR);
      expect(decodeMockToken(refreshed.ticket)?.seq).to.equal(31);

      // Past the first ticket's end: the place is still good, and the turn is claimed with it.
      await clock.advance(90 * MIN);
      simulator.advance(31);
      // A refresh join may still be in flight from the advance (signing takes real time) and
      // answer from before the line moved: run the engine's timers until it asks again.
      let admitted = queue.getSnapshot();
      for (let turn = 0; turn < 5 && admitted.status !== 'admitted'; turn += 1) {
        await clock.runNext();
        admitted = await untilSnapshot(queue, (s) => s.status === 'admitted', 'not admitted', {
          timeoutMs: 1000,
        }).catch(() => queue.getSnapshot());
      }
      expect(admitted.status).to.equal('admitted');
      expect(decodeMockToken(admitted.admission!)?.seq).to.equal(31);
      expect(requestsTo('admit').at(-1)?.ticket).to.equal(storedTicket()!.ticket);

      // Never looked like a new place: same number, never back to joining or rejected.
      const inLine = seen.filter((s) => s.seq !== null);
      expect([...new Set(inLine.map((s) => s.seq))]).to.deep.equal([first.seq]);
      expect(seen.some((s) => s.status === 'joining' && s !== seen[0])).to.equal(false);
      expect(seen.some((s) => s.status === 'rejected')).to.equal(false);
    });

    it('asks a server that never refreshes only a handful of times, not on every poll', async () => {
      harness = createHarness({
        simulator: { issued: 30, serving: 0, ticketTtlSeconds: 2 * 60 * 60, pollAfterMs: 60_000 },
      });
      const { engine, until, clock, simulator, requestsTo } = harness;
      let firstTicket: string | null = null;
      let firstExpiry = 0;
      // A server that answers a rejoin with the ticket it was given, never a longer one.
      const stubborn: typeof fetch = async (input, init) => {
        const response = await simulator.fetch(input, init);
        if (!String(input).endsWith('/join') || !response.ok) return response;
        const body = (await response.json()) as { ticket: string; ticketExpiresAt: number };
        firstTicket ??= body.ticket;
        firstExpiry ||= body.ticketExpiresAt;
        return new Response(
          JSON.stringify({ ...body, ticket: firstTicket, ticketExpiresAt: firstExpiry }),
          { headers: { 'Content-Type': 'application/json' } },
        );
      };
      const queue = engine({ fetch: stubborn });
      queue.start();
      await until(queue, (s) => s.status === 'waiting');
      await clock.advance(119 * MIN);
      const joins = requestsTo('join').length;
      const polls = requestsTo('state').length;
      expect(joins).to.be.within(3, 12);
      expect(polls).to.be.greaterThan(50);
    });
  });
});

function stateAnswer() {
  return {
    status: 'open' as const,
    serving: 12,
    issued: 90,
    ratePerSec: 2,
    pollAfterMs: 2000,
    updatedAt: T0,
  };
}
