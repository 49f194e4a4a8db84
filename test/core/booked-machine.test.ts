import { expect } from '@open-wc/testing';
import {
  ADMISSION_EXPIRED,
  initialMachineState,
  transition,
} from '../../src/core/queue-machine.js';
import type { MachineEffect, MachineState } from '../../src/core/queue-machine.js';
import type { BookedRecord } from '../../src/core/booked-store.js';
import {
  T0,
  admitAnswer,
  admitted,
  admitting,
  at,
  httpFailure,
  joinAnswer,
  run,
  types,
  waiting,
} from './helpers/machine-events.js';

const DAY = 86_400_000;
const marked = (effects: MachineEffect[]) =>
  effects.find(
    (effect): effect is Extract<MachineEffect, { type: 'mark-booked' }> =>
      effect.type === 'mark-booked',
  )?.record;

const stored = (overrides: Record<string, unknown> = {}) => ({
  v: 1 as const,
  ticket: 't-stored',
  seq: 50,
  room: 'r',
  endpoint: 'e',
  ticketExpiresAt: T0 + DAY,
  ...overrides,
});

describe('queue-machine: the end of the journey', () => {
  it('ends in booked on complete: forgets ticket and admission, stops every timer, remembers the end', () => {
    const { state, effects } = transition(
      admitted(),
      at({ type: 'complete', outcome: 'booked' }, T0 + 5000),
    );
    expect(state.status).to.equal('booked');
    expect(state.booking).to.deep.equal({ outcome: 'booked', restored: false });
    expect([state.ticket, state.admission, state.admissionExpiresAt, state.next]).to.deep.equal([
      null,
      null,
      null,
      null,
    ]);
    expect(effects).to.deep.include({
      type: 'cancel',
      kinds: ['poll', 'retry', 'admission-expiry'],
    });
    expect(types(effects)).to.not.include('persist');
    expect(marked(effects)).to.deep.equal({
      seq: 50,
      outcome: 'booked',
      at: T0 + 5000,
      // The place's ticket lived a day from T0: remembered until then, at least a day from now.
      until: T0 + 5000 + DAY,
    });
  });

  it('is final: timers, retries, claims and late answers change nothing', () => {
    const booked = run(admitted(), at({ type: 'complete', outcome: 'booked' }));
    for (const event of [
      at({ type: 'timer', kind: 'admission-expiry' }, T0 + 200_000),
      at({ type: 'timer', kind: 'poll' }, T0 + 200_000),
      at({ type: 'timer', kind: 'retry' }, T0 + 200_000),
      at({ type: 'retry-now' }, T0 + 200_000),
      at({ type: 'resume' }, T0 + 200_000),
      at({ type: 'reclaim' }, T0 + 200_000),
      at({ type: 'admission-received', response: admitAnswer }, T0 + 200_000),
      at({ type: 'joined', response: joinAnswer() }, T0 + 200_000),
      at({ type: 'complete', outcome: 'already-used' }, T0 + 200_000),
    ]) {
      const { state, effects } = transition(booked, event);
      expect(state, event.type).to.equal(booked);
      expect(effects, event.type).to.deep.equal([]);
    }
  });

  it('takes a 409 admission_used answer to a claim as the end of the journey, not a failure', () => {
    const { state, effects } = transition(
      admitting(),
      at({ type: 'request-failed', request: 'admit', failure: httpFailure(409, 'admission_used') }),
    );
    expect(state.status).to.equal('booked');
    expect(state.booking).to.deep.equal({ outcome: 'already-used', restored: false });
    expect(state.problem).to.equal(null);
    expect(types(effects)).to.not.include('schedule');
    expect(marked(effects)?.outcome).to.equal('already-used');
  });

  it('lets a success seen after "already used" say booked', () => {
    const used = run(
      admitted(),
      at({ type: 'complete', outcome: 'already-used' }),
      at({ type: 'complete', outcome: 'booked' }, T0 + 10),
    );
    expect(used.booking).to.deep.equal({ outcome: 'booked', restored: false });
  });

  it('ends from any started status when the page says so, but not before a start', () => {
    expect(
      transition(initialMachineState, at({ type: 'complete', outcome: 'booked' })).state,
    ).to.equal(initialMachineState);
    expect(run(waiting(), at({ type: 'complete', outcome: 'booked' })).status).to.equal('booked');
  });

  it('joins afresh, forgetting the end, only when the visitor asks to join again', () => {
    const booked = run(admitted(), at({ type: 'complete', outcome: 'booked' }));
    const { state, effects } = transition(booked, at({ type: 'rejoin' }));
    expect(state.status).to.equal('joining');
    expect(state.booking).to.equal(null);
    expect(types(effects)).to.include('discard-ticket');
    expect(effects).to.deep.include({ type: 'join', ticket: null, identity: 'ask' });
  });

  describe('starting with a remembered end', () => {
    const record: BookedRecord = { seq: 50, outcome: 'booked', at: T0 - 1000, until: T0 + DAY };
    const start = (ticket: ReturnType<typeof stored> | null) =>
      transition(initialMachineState, at({ type: 'start', stored: ticket, booked: record }));

    it('shows it (restored) without asking the server anything', () => {
      const { state, effects } = start(null);
      expect(state.status).to.equal('booked');
      expect(state.booking).to.deep.equal({ outcome: 'booked', restored: true });
      expect(state.seq).to.equal(50);
      const requests = ['join', 'admit', 'poll-state', 'schedule'];
      expect(types(effects).filter((type) => requests.includes(type))).to.deep.equal([]);
    });

    it('drops a leftover ticket and admission of the booked place', () => {
      const leftover = stored({ admission: 'adm', admissionExpiresAt: T0 + 60_000 });
      const { state, effects } = start(leftover);
      expect(state.status).to.equal('booked');
      expect(state.admission).to.equal(null);
      expect(marked(effects)).to.deep.equal(record);
    });

    it('lets a ticket of another place (a journey begun after the booking) go on', () => {
      const { state, effects } = start(stored({ seq: 90, ticket: 't-new' }));
      expect(state.status).to.equal('joining');
      expect(effects).to.deep.include({ type: 'join', ticket: 't-new', identity: 'ask' });
    });
  });

  it('says admission_expired, not the server refusal token_expired, when an admission ran out unused', () => {
    const state: MachineState = run(
      admitted(),
      at({ type: 'timer', kind: 'admission-expiry' }, T0 + 120_000),
    );
    expect(ADMISSION_EXPIRED.code).to.equal('admission_expired');
    expect(state.problem?.code).to.equal('admission_expired');
    expect(state.ticket).to.equal('ticket-a');
  });
});
