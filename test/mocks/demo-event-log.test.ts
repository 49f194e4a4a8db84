import { expect } from '@open-wc/testing';
import { createEventLog, describeGateEvent } from '../../demo/event-log.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import {
  QueueGateAdmitEvent,
  QueueGateAdmittedEvent,
  QueueGateChangeEvent,
  QueueGateErrorEvent,
} from '../../src/element/events.js';

const AT = Date.parse('2026-05-01T09:00:00Z');

function snapshot(overrides: Partial<QueueSnapshot> = {}): QueueSnapshot {
  return {
    status: 'waiting',
    room: 'demo',
    endpoint: '/mock-api',
    seq: 41,
    serving: 10,
    issued: 41,
    position: 31,
    ratePerSec: 2,
    estimate: { minMs: null, maxMs: null },
    roomStatus: 'open',
    ticketExpiresAt: null,
    holdSeconds: null,
    admission: null,
    admissionExpiresAt: null,
    lastUpdatedAt: AT,
    nextAttemptAt: null,
    problem: null,
    rejection: null,
    isLeader: true,
    ...overrides,
  };
}

describe('the demo event log', () => {
  it("describes a status change with the visitor's place and the problem", () => {
    const event = new QueueGateChangeEvent(
      'reconnecting',
      'waiting',
      snapshot({ status: 'reconnecting', problem: { code: 'network', message: 'down' } }),
    );
    expect(describeGateEvent(event, AT)).to.deep.equal({
      type: 'queue-gate-change',
      status: 'reconnecting',
      detail: 'from waiting, seq 41, ahead 31, problem network',
      at: AT,
    });
  });

  it('describes admissions and errors without printing whole tokens', () => {
    const token = `eyJ${'a'.repeat(60)}.sig-end`;
    const admit = describeGateEvent(new QueueGateAdmitEvent(token, AT + 120_000), AT);
    expect(admit?.detail).to.contain('expires 2026-05-01T09:02:00.000Z');
    expect(admit?.detail).not.to.contain(token);
    expect(describeGateEvent(new QueueGateAdmittedEvent(token, 'reveal'), AT)?.status).to.equal(
      'reveal',
    );
    const error = describeGateEvent(
      new QueueGateErrorEvent({ code: 'token_expired', message: 'The ticket expired.' }),
      AT,
    );
    expect(error).to.include({ status: 'token_expired', detail: 'The ticket expired.' });
    expect(describeGateEvent(new Event('click'), AT)).to.equal(null);
  });

  it('lists what the attached element emits, newest first, and forgets a replaced element', () => {
    const list = document.createElement('ol');
    let now = AT;
    const log = createEventLog(list, () => now);
    const first = document.createElement('div');
    const second = document.createElement('div');
    log.attach(first);
    first.dispatchEvent(new QueueGateChangeEvent('joining', 'idle', snapshot({ seq: null })));
    now += 1000;
    log.attach(second);
    first.dispatchEvent(new QueueGateChangeEvent('waiting', 'joining', snapshot()));
    second.dispatchEvent(
      new QueueGateErrorEvent({ code: 'token_bad_signature', message: 'forged' }),
    );
    log.note('scenario', 'Ticket tampered');
    expect(log.entries.map((e) => e.status)).to.deep.equal([
      'scenario',
      'token_bad_signature',
      'joining',
    ]);
    expect(list.children).to.have.length(3);
    expect(list.firstElementChild?.textContent).to.contain('Ticket tampered');
    expect(list.lastElementChild?.querySelector('time')?.dateTime).to.equal(
      new Date(AT).toISOString(),
    );
    log.clear();
    expect(list.children).to.have.length(0);
    expect(log.entries).to.have.length(0);
  });
});
