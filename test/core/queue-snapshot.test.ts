import { expect } from '@open-wc/testing';
import type { MachineState } from '../../src/core/queue-machine.js';
import { shownPosition, snapshotOf, ticketRecordOf } from '../../src/core/queue-snapshot.js';
import { admitted, admitting, at, run, T0, waiting } from './helpers/machine-events.js';

const context = { room: 'concert', endpoint: 'https://queue.test', isLeader: true };

describe('queue-snapshot', () => {
  it("shows every machine field a snapshot has, as it is, beside the engine's own", () => {
    const state: MachineState = {
      ...waiting(),
      issued: 90,
      roomStatus: 'paused',
      lastUpdatedAt: T0 + 1,
      nextAttemptAt: T0 + 2,
      problem: { code: 'network', message: 'down' },
      failures: 2,
      failingSince: T0 - 5,
      rejection: { code: 'token_expired', message: 'old' },
      opensAt: T0 + 3,
      cohortOpensAt: T0 + 4,
      booking: { outcome: 'booked', restored: false },
    };
    const snapshot = snapshotOf(state, { ...context, position: 37, persistence: 'memory' });
    expect(snapshot).to.deep.equal({
      status: state.status,
      room: 'concert',
      endpoint: 'https://queue.test',
      seq: state.seq,
      serving: state.serving,
      issued: 90,
      position: 37,
      ratePerSec: state.ratePerSec,
      estimate: snapshot.estimate,
      roomStatus: 'paused',
      ticketExpiresAt: state.ticketExpiresAt,
      holdSeconds: state.holdSeconds,
      admission: state.admission,
      admissionExpiresAt: state.admissionExpiresAt,
      lastUpdatedAt: T0 + 1,
      nextAttemptAt: T0 + 2,
      problem: state.problem,
      failures: 2,
      failingSince: T0 - 5,
      persistence: 'memory',
      rejection: state.rejection,
      isLeader: true,
      opensAt: T0 + 3,
      cohortOpensAt: T0 + 4,
      booking: state.booking,
    });
    expect(snapshot.estimate.minMs).to.be.greaterThan(0);
    expect(snapshotOf(state, { ...context, position: null }).estimate).to.deep.equal({
      minMs: null,
      maxMs: null,
    });
  });

  it('shows no place ahead while claiming or admitted, none at all once booked', () => {
    expect(shownPosition(waiting(), T0)).to.equal(40);
    expect(shownPosition(admitting(), T0)).to.equal(0);
    expect(shownPosition(admitted(), T0)).to.equal(0);
    const booked = run(admitted(), at({ type: 'complete', outcome: 'booked' }));
    expect(shownPosition(booked, T0)).to.equal(null);
    const unknown: MachineState = { ...waiting(), track: null, serving: null };
    expect(shownPosition(unknown, T0)).to.equal(null);
    expect(shownPosition({ ...unknown, serving: 45 }, T0)).to.equal(5);
  });

  it('keeps a ticket with a place or a pre-open one, and the admission while there is one', () => {
    const kept = waiting();
    expect(ticketRecordOf(kept)).to.deep.equal({
      ticket: kept.ticket,
      seq: 50,
      ticketExpiresAt: kept.ticketExpiresAt,
    });
    const holding = admitted();
    expect(ticketRecordOf(holding)).to.deep.include({
      admission: holding.admission,
      admissionExpiresAt: holding.admissionExpiresAt,
    });
    expect(ticketRecordOf({ ...kept, seq: null, opensAt: T0 + 5 })).to.deep.include({ seq: 0 });
    expect(ticketRecordOf({ ...kept, seq: null })).to.equal(null);
    expect(ticketRecordOf({ ...kept, ticket: null })).to.equal(null);
    expect(ticketRecordOf({ ...kept, ticketExpiresAt: null })).to.equal(null);
  });
});
