import { expect } from '@open-wc/testing';
import { POLL_BOUNDS } from '../../src/protocol.js';
import {
  ADMISSION_EXPIRED,
  initialMachineState,
  transition,
} from '../../src/core/queue-machine.js';
import type { TransportFailure } from '../../src/core/errors.js';
import type { MachineState } from '../../src/core/queue-machine.js';
import type { ErrorCode } from '../../src/protocol.js';
import { SLOW_POLL_MS } from '../../src/core/poll-schedule.js';
import {
  T0,
  admitAnswer as admission,
  admitted,
  admitting,
  at,
  httpFailure,
  joinAnswer as join,
  run,
  scheduled,
  stateAnswer as state,
  types,
  waiting,
} from './helpers/machine-events.js';

/** A ticket kept from an earlier visit (place 7). */
const storedTicket = {
  v: 1 as const,
  ticket: 't-old',
  seq: 7,
  room: 'r',
  endpoint: 'e',
  ticketExpiresAt: T0 + 1000,
};
const joining = () => run(initialMachineState, at({ type: 'start', stored: null }));
const polling = () => run(waiting(), at({ type: 'timer', kind: 'poll' }, T0 + 4000));
const reconnecting = () =>
  run(
    polling(),
    at(
      {
        type: 'request-failed',
        request: 'state',
        failure: { kind: 'network', message: 'offline' },
      },
      T0 + 4100,
    ),
  );

describe('queue-machine', () => {
  describe('idle', () => {
    it('asks to join without a ticket when nothing is stored', () => {
      const { state: next, effects } = transition(
        initialMachineState,
        at({ type: 'start', stored: null }),
      );
      expect(next.status).to.equal('joining');
      expect(effects).to.deep.include({ type: 'join', ticket: null, identity: 'ask' });
      expect(next.inFlight).to.equal('join');
    });

    it('joins with the stored ticket so the same place comes back', () => {
      const stored = storedTicket;
      const { state: next, effects } = transition(
        initialMachineState,
        at({ type: 'start', stored }),
      );
      expect(effects).to.deep.include({ type: 'join', ticket: 't-old', identity: 'ask' });
      expect(next.seq).to.equal(7);
    });

    it('confirms a stored, unexpired admission with the server before showing any admission', () => {
      const stored = {
        v: 1 as const,
        ticket: 't',
        seq: 7,
        room: 'r',
        endpoint: 'e',
        ticketExpiresAt: T0 + 100_000,
        admission: 'adm-from-storage',
        admissionExpiresAt: T0 + 30_000,
      };
      const { state: next, effects } = transition(
        initialMachineState,
        at({ type: 'start', stored }),
      );
      expect(next.status).to.equal('admitting');
      expect(next.admission).to.equal(null);
      expect(effects).to.deep.include({ type: 'admit', ticket: 't' });
      expect(types(effects)).to.not.include('join');

      const confirmed = transition(
        next,
        at({
          type: 'admission-received',
          response: { admission: 'adm-from-server', expiresAt: T0 + 25_000 },
        }),
      );
      expect(confirmed.state.status).to.equal('admitted');
      expect(confirmed.state.admission).to.equal('adm-from-server');
      expect(scheduled(confirmed.effects)).to.deep.equal({
        type: 'schedule',
        kind: 'admission-expiry',
        delayMs: 25_000,
      });
    });

    it('ignores answers, timers and retries before it started', () => {
      for (const event of [
        at({ type: 'joined', response: join() }),
        at({ type: 'timer', kind: 'poll' }),
        at({ type: 'retry-now' }),
        at({ type: 'resume' }),
        at({ type: 'rejoin' }),
        at({ type: 'reclaim' }),
        at({ type: 'stop' }),
      ]) {
        const result = transition(initialMachineState, event);
        expect(result.state, event.type).to.equal(initialMachineState);
        expect(result.effects, event.type).to.deep.equal([]);
      }
    });
  });

  describe('joining', () => {
    it('persists the ticket and schedules a poll from the join answer (already scaled, jittered)', () => {
      const { state: next, effects } = transition(
        joining(),
        at({ type: 'joined', response: join() }, T0, 0.25),
      );
      expect(next.status).to.equal('waiting');
      expect(next.seq).to.equal(50);
      expect(next.ticket).to.equal('ticket-a');
      expect(types(effects)).to.include('persist');
      // 4000 ms × (0.5 + 0.25): the join interval is used as is, not scaled again.
      expect(scheduled(effects)).to.deep.equal({ type: 'schedule', kind: 'poll', delayMs: 3000 });
      expect(next.nextAttemptAt).to.equal(T0 + 3000);
    });

    it('claims admission at once when the line already reached the visitor', () => {
      const { state: next, effects } = transition(
        joining(),
        at({ type: 'joined', response: join({ serving: 60 }) }),
      );
      expect(next.status).to.equal('admitting');
      expect(effects).to.deep.include({ type: 'admit', ticket: 'ticket-a' });
    });

    it('goes to paused or closed (ticket kept, slow polling) when the room does not move', () => {
      for (const status of ['paused', 'closed'] as const) {
        const { state: next, effects } = transition(
          joining(),
          at({ type: 'joined', response: join({ status }) }, T0, 0),
        );
        expect(next.status).to.equal(status);
        expect(next.ticket).to.equal('ticket-a');
        expect(scheduled(effects)?.delayMs).to.be.at.least(SLOW_POLL_MS * 0.5);
      }
    });

    it('keeps the place and retries the join on network failure, timeout, 5xx, 429 and bad answers', () => {
      const failures: TransportFailure[] = [
        { kind: 'network', message: 'x' },
        { kind: 'timeout', message: 'x' },
        httpFailure(503, 'overloaded', 5000),
        httpFailure(429, 'rate_limited', 2000),
        httpFailure(500, null),
        { kind: 'bad_response', status: 200, message: 'x' },
      ];
      const stored = storedTicket;
      const start = run(initialMachineState, at({ type: 'start', stored }));
      for (const failure of failures) {
        const { state: next, effects } = transition(
          start,
          at({ type: 'request-failed', request: 'join', failure }),
        );
        expect(next.status, failure.kind).to.equal('reconnecting');
        expect(next.ticket).to.equal('t-old');
        expect(next.seq).to.equal(7);
        expect(next.problem).to.not.equal(null);
        expect(next.next).to.equal('join');
        expect(next.nextAttemptAt).to.be.a('number');
        expect(types(effects)).to.not.include('discard-ticket');
        expect(scheduled(effects)?.kind).to.equal('retry');
      }
    });

    it('ignores a second start and answers for a request it is not waiting for', () => {
      const current = joining();
      expect(transition(current, at({ type: 'start', stored: null })).effects).to.deep.equal([]);
      expect(transition(current, at({ type: 'state-received', response: state() })).state).to.equal(
        current,
      );
    });
  });

  describe('waiting', () => {
    it('polls the state when its timer fires', () => {
      const { state: next, effects } = transition(
        waiting(),
        at({ type: 'timer', kind: 'poll' }, T0 + 3000),
      );
      expect(effects).to.deep.include({ type: 'poll-state' });
      expect(next.inFlight).to.equal('state');
    });

    it('keeps the highest serving seen when a stale answer arrives', () => {
      const fresh = run(
        polling(),
        at({ type: 'state-received', response: state({ serving: 30 }) }, T0 + 4200),
      );
      const again = run(fresh, at({ type: 'timer', kind: 'poll' }, T0 + 9000));
      const stale = run(
        again,
        at({ type: 'state-received', response: state({ serving: 12 }) }, T0 + 9100),
      );
      expect(stale.serving).to.equal(30);
    });

    it("scales the state answer's base interval by the distance from the front", () => {
      const { effects } = transition(
        polling(),
        at(
          { type: 'state-received', response: state({ serving: 20, ratePerSec: 0 }) },
          T0 + 4200,
          0.5,
        ),
      );
      // 30 ahead at a 2000 ms base: log-scaled by distance, more than the base.
      expect(scheduled(effects)?.delayMs).to.be.greaterThan(2000);
    });

    it('lets the shown position run ahead until the next poll is due, no further', () => {
      const { state: next, effects } = transition(
        polling(),
        at({ type: 'state-received', response: state({ serving: 20 }) }, T0 + 4200, 0.9),
      );
      expect(next.track?.horizonMs).to.equal(scheduled(effects)?.delayMs);
    });

    it('claims admission once serving reaches the seq', () => {
      const { state: next, effects } = transition(
        polling(),
        at({ type: 'state-received', response: state({ serving: 50 }) }, T0 + 4200),
      );
      expect(next.status).to.equal('admitting');
      expect(effects).to.deep.include({ type: 'admit', ticket: 'ticket-a' });
    });

    it('turns paused or closed from the state answer and keeps the ticket', () => {
      const { state: next } = transition(
        polling(),
        at({ type: 'state-received', response: state({ status: 'paused' }) }),
      );
      expect(next.status).to.equal('paused');
      expect(next.ticket).to.equal('ticket-a');
    });

    it("polls at once on retry-now, and on resume only after the protocol's minimum gap", () => {
      expect(transition(waiting(), at({ type: 'retry-now' }, T0 + 10)).effects).to.deep.include({
        type: 'poll-state',
      });
      expect(transition(waiting(), at({ type: 'resume' }, T0 + 10)).effects).to.deep.equal([]);
      expect(
        transition(waiting(), at({ type: 'resume' }, T0 + POLL_BOUNDS.minMs)).effects,
      ).to.deep.include({
        type: 'poll-state',
      });
    });

    it('does not send a second request while one is in flight', () => {
      const busy = polling();
      expect(transition(busy, at({ type: 'retry-now' })).effects).to.deep.equal([]);
      expect(transition(busy, at({ type: 'timer', kind: 'retry' })).effects).to.deep.equal([]);
    });

    it('stops: aborts the request, cancels timers, keeps the ticket', () => {
      const { state: next, effects } = transition(polling(), at({ type: 'stop' }));
      expect(next.status).to.equal('idle');
      expect(next.ticket).to.equal('ticket-a');
      expect(types(effects)).to.deep.equal(['abort', 'cancel']);
    });
  });

  describe('reconnecting', () => {
    const BACKOFF_CASES = [
      {
        name: 'backs off joins with full jitter that grows with each failure',
        from: joining,
        request: 'join' as const,
        delays: [999, 1998, 3996, 7992],
      },
      {
        // The join said 4000 ms; with random 0.999 a poll would wait 4000 × 1.499 = 5996 ms.
        name: 'retries a failed poll no sooner than its own next poll, and backs off beyond it',
        from: polling,
        request: 'state' as const,
        delays: [5996, 5996, 5996, 7992, 15984],
      },
    ];
    for (const { name, from, request, delays } of BACKOFF_CASES) {
      it(name, () => {
        let current = from();
        const seen: number[] = [];
        for (let attempt = 0; attempt < delays.length; attempt++) {
          const failure: TransportFailure = { kind: 'network', message: 'x' };
          const failed = transition(
            current,
            at({ type: 'request-failed', request, failure }, T0, 0.999),
          );
          seen.push(scheduled(failed.effects)?.delayMs ?? -1);
          current = run(failed.state, at({ type: 'timer', kind: 'retry' }));
        }
        expect(seen).to.deep.equal(delays);
      });
    }

    const RETRY_CASES = [
      {
        name: 'keeps retrying a failed claim on plain backoff, however long the polls were',
        from: admitting,
        request: 'admit' as const,
        failure: { kind: 'network', message: 'x' } as TransportFailure,
        random: 0.5,
        delayMs: 500,
      },
      {
        name: 'never retries sooner than Retry-After',
        from: polling,
        request: 'state' as const,
        failure: httpFailure(503, 'overloaded', 30_000),
        random: 0,
        delayMs: 30_000,
      },
    ];
    for (const { name, from, request, failure, random, delayMs } of RETRY_CASES) {
      it(name, () => {
        const { effects } = transition(
          from(),
          at({ type: 'request-failed', request, failure }, T0, random),
        );
        expect(scheduled(effects)).to.deep.equal({ type: 'schedule', kind: 'retry', delayMs });
      });
    }

    it('retries the failed request when the timer fires, and recovers on success', () => {
      const retrying = transition(reconnecting(), at({ type: 'timer', kind: 'retry' }, T0 + 6000));
      expect(retrying.effects).to.deep.include({ type: 'poll-state' });
      const recovered = run(
        retrying.state,
        at({ type: 'state-received', response: state() }, T0 + 6100),
      );
      expect(recovered.status).to.equal('waiting');
      expect(recovered.problem).to.equal(null);
      expect(recovered.failures).to.equal(0);
    });

    it('retries at once on resume (back online) and on retry-now', () => {
      expect(transition(reconnecting(), at({ type: 'resume' }, T0 + 6000)).effects).to.deep.include(
        { type: 'poll-state' },
      );
      expect(
        transition(reconnecting(), at({ type: 'retry-now' }, T0 + 4200)).effects,
      ).to.deep.include({
        type: 'poll-state',
      });
    });

    it('can rejoin from scratch, discarding the ticket', () => {
      const { state: next, effects } = transition(reconnecting(), at({ type: 'rejoin' }));
      expect(next.status).to.equal('joining');
      expect(next.seq).to.equal(null);
      expect(types(effects)).to.include('discard-ticket');
      expect(effects).to.deep.include({ type: 'join', ticket: null, identity: 'ask' });
    });
  });

  describe('paused and closed', () => {
    const paused = () =>
      run(
        polling(),
        at({ type: 'state-received', response: state({ status: 'paused' }) }, T0 + 4200),
      );

    it('keeps polling slowly and goes back to waiting when the room reopens', () => {
      const polled = transition(paused(), at({ type: 'timer', kind: 'poll' }, T0 + 20_000));
      expect(polled.effects).to.deep.include({ type: 'poll-state' });
      const open = run(
        polled.state,
        at({ type: 'state-received', response: state({ status: 'open' }) }, T0 + 20_100),
      );
      expect(open.status).to.equal('waiting');
    });

    it('treats a closed room the same way: place kept, slow polls', () => {
      const { state: next, effects } = transition(
        polling(),
        at({ type: 'state-received', response: state({ status: 'closed' }) }, T0 + 4200, 0.5),
      );
      expect(next.status).to.equal('closed');
      expect(next.ticket).to.equal('ticket-a');
      expect(scheduled(effects)?.delayMs).to.be.at.least(SLOW_POLL_MS);
    });
  });

  describe('admitting', () => {
    it('stores the admission and schedules its expiry', () => {
      const { state: next, effects } = transition(
        admitting(),
        at({ type: 'admission-received', response: admission }),
      );
      expect(next.status).to.equal('admitted');
      expect(next.admission).to.equal('admission-a');
      expect(types(effects)).to.include('persist');
      expect(scheduled(effects)).to.deep.equal({
        type: 'schedule',
        kind: 'admission-expiry',
        delayMs: 120_000,
      });
    });

    it("counts the admission's lifetime in device time when the device clock is far off", () => {
      const hourAhead = T0 + 3_600_000;
      const claimed = run(
        polling(),
        at({ type: 'state-received', response: state({ serving: 50, updatedAt: T0 }) }, hourAhead),
      );
      expect(claimed.status).to.equal('admitting');
      const { state: next, effects } = transition(
        claimed,
        // The server's clock reads an hour less than this device's.
        at({ type: 'admission-received', response: { ...admission, serverTime: T0 } }, hourAhead),
      );
      expect(next.admissionExpiresAt).to.equal(admission.expiresAt + 3_600_000);
      expect(scheduled(effects)?.delayMs).to.equal(120_000);
    });

    it('ignores small clock differences (network latency)', () => {
      const { state: next } = transition(
        admitting(),
        at({ type: 'admission-received', response: { ...admission, serverTime: T0 - 5000 } }),
      );
      expect(next.clockOffsetMs).to.equal(0);
      expect(next.admissionExpiresAt).to.equal(admission.expiresAt);
    });

    it('never takes an old state answer (a quiet room, a CDN cache) for a clock error', () => {
      const hourLater = T0 + 3_600_000;
      const claimed = run(
        polling(),
        at({ type: 'state-received', response: state({ serving: 50, updatedAt: T0 }) }, hourLater),
      );
      expect(claimed.clockOffsetMs).to.equal(0);
      const { state: next } = transition(
        claimed,
        at(
          {
            type: 'admission-received',
            response: { ...admission, expiresAt: hourLater + 120_000 },
          },
          hourLater,
        ),
      );
      expect(next.admissionExpiresAt).to.equal(hourLater + 120_000);
    });

    it('retries a failed claim with backoff and never gives up the place', () => {
      const { state: next, effects } = transition(
        admitting(),
        at({ type: 'request-failed', request: 'admit', failure: httpFailure(502, null) }),
      );
      expect(next.status).to.equal('reconnecting');
      expect(next.next).to.equal('admit');
      expect(next.seq).to.equal(50);
      expect(types(effects)).to.not.include('discard-ticket');
      const retried = transition(next, at({ type: 'timer', kind: 'retry' }, T0 + 5000));
      expect(retried.effects).to.deep.include({ type: 'admit', ticket: 'ticket-a' });
    });
  });

  describe('admitted', () => {
    it('drops the admission when it expires and says so, keeping the ticket for a reclaim', () => {
      const { state: next, effects } = transition(
        admitted(),
        at({ type: 'timer', kind: 'admission-expiry' }),
      );
      expect(next.status).to.equal('admitted');
      expect(next.admission).to.equal(null);
      expect(next.problem).to.deep.equal(ADMISSION_EXPIRED);
      expect(next.ticket).to.equal('ticket-a');
      expect(types(effects)).to.deep.equal(['persist']);
    });

    it('reclaims a new admission with the kept ticket only once the old one expired', () => {
      expect(transition(admitted(), at({ type: 'reclaim' })).effects).to.deep.equal([]);
      const expired = run(admitted(), at({ type: 'timer', kind: 'admission-expiry' }));
      const { state: next, effects } = transition(expired, at({ type: 'reclaim' }));
      expect(next.status).to.equal('admitting');
      expect(effects).to.deep.include({ type: 'admit', ticket: 'ticket-a' });
    });

    it('sends nothing on timers, retry-now or resume', () => {
      for (const event of [
        at({ type: 'timer', kind: 'poll' }),
        at({ type: 'retry-now' }),
        at({ type: 'resume' }, T0 + 60_000),
      ]) {
        expect(transition(admitted(), event).effects, event.type).to.deep.equal([]);
      }
    });
  });

  describe('server refusals', () => {
    interface Refusal {
      /** What the visitor sees happen. */
      outcome: string;
      from: () => MachineState;
      request: 'join' | 'admit';
      status: number;
      code: ErrorCode;
      /** Fields of the state after the refusal. */
      then: Partial<Pick<MachineState, 'status' | 'ticket' | 'seq' | 'next'>>;
      rejection: ErrorCode | null;
      discardsTicket: boolean;
      /** The timer scheduled next (`null`: none). */
      scheduled?: 'poll' | null;
    }
    const REFUSALS: Refusal[] = [
      {
        outcome: 'rejects with the reason and discards the ticket on an explicit join refusal',
        from: joining,
        request: 'join',
        status: 401,
        code: 'token_expired',
        then: { status: 'rejected', ticket: null },
        rejection: 'token_expired',
        discardsTicket: true,
        scheduled: null,
      },
      {
        outcome: 'waits slowly on a room_closed join refusal and joins again later',
        from: joining,
        request: 'join',
        status: 410,
        code: 'room_closed',
        then: { status: 'closed', next: 'join' },
        rejection: null,
        discardsTicket: false,
      },
      {
        outcome: 'goes back to watching (same place) on not_your_turn',
        from: admitting,
        request: 'admit',
        status: 409,
        code: 'not_your_turn',
        then: { status: 'waiting', seq: 50 },
        rejection: null,
        discardsTicket: false,
        scheduled: 'poll',
      },
      {
        outcome: 'rejects with the reason when the hold expired',
        from: admitting,
        request: 'admit',
        status: 410,
        code: 'hold_expired',
        then: { status: 'rejected' },
        rejection: 'hold_expired',
        discardsTicket: true,
      },
      {
        outcome: 'turns closed, keeping the ticket, when the room closed before the claim',
        from: admitting,
        request: 'admit',
        status: 403,
        code: 'room_closed',
        then: { status: 'closed', ticket: 'ticket-a' },
        rejection: null,
        discardsTicket: false,
      },
    ];
    for (const refusal of REFUSALS) {
      it(`${refusal.outcome} (${refusal.request} ${refusal.status} ${refusal.code})`, () => {
        const failure = httpFailure(refusal.status, refusal.code);
        const { state: next, effects } = transition(
          refusal.from(),
          at({ type: 'request-failed', request: refusal.request, failure }),
        );
        expect(next).to.include(refusal.then);
        expect(next.rejection?.code ?? null).to.equal(refusal.rejection);
        expect(types(effects).includes('discard-ticket')).to.equal(refusal.discardsTicket);
        if (refusal.scheduled !== undefined) {
          expect(scheduled(effects)?.kind ?? null).to.equal(refusal.scheduled);
        }
      });
    }
  });

  describe('rejected', () => {
    const rejected = () =>
      run(
        joining(),
        at({
          type: 'request-failed',
          request: 'join',
          failure: httpFailure(401, 'token_bad_signature'),
        }),
      );

    it('stays put on timers, retries and reclaim', () => {
      for (const event of [
        at({ type: 'timer', kind: 'retry' }),
        at({ type: 'retry-now' }),
        at({ type: 'reclaim' }),
      ]) {
        expect(transition(rejected(), event).effects, event.type).to.deep.equal([]);
      }
    });

    it('joins anew without a ticket on rejoin', () => {
      const { state: next, effects } = transition(rejected(), at({ type: 'rejoin' }));
      expect(next.status).to.equal('joining');
      expect(next.rejection).to.equal(null);
      expect(effects).to.deep.include({ type: 'join', ticket: null, identity: 'ask' });
    });
  });
});
