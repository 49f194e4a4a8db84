import { expect, fixtureSync, html } from '@open-wc/testing';
import '../../src/index.js';
import type { QueueGateAdmitEvent, QueueGateAdmittedEvent } from '../../src/index.js';
import {
  QueueGateChangeEvent,
  QueueGateErrorEvent,
  type QueueGateElement,
} from '../../src/index.js';
import { FakeEngine, NOW, factoryFor, hasDefaultSlot } from './fake-engine.js';

const EVENTS = ['queue-gate-change', 'queue-gate-admit', 'queue-gate-admitted', 'queue-gate-error'];

async function setup() {
  const engine = new FakeEngine();
  const host = fixtureSync<HTMLDivElement>(
    html`<div>
      <queue-gate room="demo" .engineFactory=${factoryFor(engine)} .now=${() => NOW}>
        <form><input name="name" aria-label="Name" /></form>
      </queue-gate>
    </div>`,
  );
  const el = host.querySelector('queue-gate') as QueueGateElement;
  await el.updateComplete;
  const log: Event[] = [];
  // Listening on an ancestor proves the events bubble out of the element.
  for (const type of EVENTS) host.addEventListener(type, (event) => log.push(event));
  return { engine, el, host, log };
}

const admitted = {
  status: 'admitted',
  position: 0,
  admission: 'adm.1',
  admissionExpiresAt: NOW + 60_000,
} as const;

describe('<queue-gate> events', () => {
  it('fires queue-gate-change once per status change, not per snapshot', async () => {
    const { engine, log } = await setup();
    engine.push({ status: 'joining' });
    engine.push({ status: 'waiting', seq: 10, position: 5 });
    engine.push({ position: 4 });
    engine.push({ position: 3 });
    engine.push({ status: 'reconnecting' });
    engine.push({ status: 'waiting' });
    const changes = log.filter((e): e is QueueGateChangeEvent => e instanceof QueueGateChangeEvent);
    expect(changes.map((e) => `${e.previousStatus}>${e.status}`)).to.deep.equal([
      'idle>joining',
      'joining>waiting',
      'waiting>reconnecting',
      'reconnecting>waiting',
    ]);
    expect(changes.every((e) => e.bubbles && e.composed)).to.equal(true);
    expect(log.some((e) => e.type === 'queue-gate-error')).to.equal(false);
  });

  it('fires change, then a cancelable admit, then admitted after the hand-off', async () => {
    const { engine, el, log } = await setup();
    const inputSeenAtAdmit: (string | null)[] = [];
    el.addEventListener('queue-gate-admit', () => {
      inputSeenAtAdmit.push(
        el.querySelector<HTMLInputElement>('[name="queue_admission"]')?.value ?? null,
      );
    });
    const done = new Promise((resolve) => el.addEventListener('queue-gate-admitted', resolve));
    engine.push({ status: 'admitting', position: 0 });
    engine.push(admitted);
    await done;
    expect(log.map((e) => e.type)).to.deep.equal([
      'queue-gate-change',
      'queue-gate-change',
      'queue-gate-admit',
      'queue-gate-admitted',
    ]);
    const admit = log[2] as QueueGateAdmitEvent;
    expect([admit.cancelable, admit.admission, admit.expiresAt]).to.deep.equal([
      true,
      'adm.1',
      NOW + 60_000,
    ]);
    expect(inputSeenAtAdmit).to.deep.equal([null]);
    const after = log[3] as QueueGateAdmittedEvent;
    expect([after.admission, after.handOff]).to.deep.equal(['adm.1', 'reveal']);
  });

  it('skips the hand-off when queue-gate-admit is canceled', async () => {
    const { engine, el, log } = await setup();
    el.addEventListener('queue-gate-admit', (event) => event.preventDefault());
    engine.push(admitted);
    await el.updateComplete;
    expect(el.querySelectorAll('[name="queue_admission"]').length).to.equal(0);
    expect(hasDefaultSlot(el)).to.equal(false);
    expect(log.map((e) => e.type)).to.deep.equal(['queue-gate-change', 'queue-gate-admit']);
    expect(el.admission).to.equal('adm.1');
  });

  it('fires queue-gate-error with the reason when the ticket is rejected', async () => {
    const { engine, log } = await setup();
    engine.push({ status: 'rejected', rejection: { code: 'token_bad_signature', message: 'bad' } });
    const errors = log.filter((e): e is QueueGateErrorEvent => e instanceof QueueGateErrorEvent);
    expect(errors.map((e) => e.problem.code)).to.deep.equal(['token_bad_signature']);
  });

  it('fires queue-gate-error once when the admission expired before the form was sent', async () => {
    const { engine, el, log } = await setup();
    engine.push({ ...admitted, admissionExpiresAt: NOW - 1 });
    await el.updateComplete;
    engine.push({ lastUpdatedAt: NOW });
    const errors = log.filter((e): e is QueueGateErrorEvent => e instanceof QueueGateErrorEvent);
    expect(errors.map((e) => e.problem.code)).to.deep.equal(['admission_expired']);
  });

  it('does not call an admission expired once its form was sent', async () => {
    const { engine, el, log } = await setup();
    let now = NOW;
    el.now = () => now;
    engine.push(admitted);
    await el.updateComplete;
    const form = el.querySelector('form')!;
    form.addEventListener('submit', (event) => event.preventDefault());
    form.requestSubmit();
    now = NOW + 120_000;
    engine.push({ lastUpdatedAt: now });
    await el.updateComplete;
    expect(log.some((e) => e instanceof QueueGateErrorEvent)).to.equal(false);
    expect(hasDefaultSlot(el)).to.equal(true);
  });
});
