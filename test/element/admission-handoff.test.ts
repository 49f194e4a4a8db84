import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import type { QueueGateElement } from '../../src/index.js';
import { FakeEngine, NOW, factoryFor, hasDefaultSlot } from './fake-engine.js';

const admitted = {
  status: 'admitted',
  seq: 7,
  position: 0,
  admission: 'adm.payload.sig',
  admissionExpiresAt: NOW + 120_000,
} as const;

async function mount(engine: FakeEngine, admitUrl = ''): Promise<QueueGateElement> {
  return fixture<QueueGateElement>(html`
    <queue-gate
      room="demo"
      admit-url=${admitUrl}
      .engineFactory=${factoryFor(engine)}
      .now=${() => NOW}
    >
      <p>Fill in the form below.</p>
      <form id="booking">
        <label>Name <input id="name" name="name" /></label>
        <button>Book</button>
      </form>
      <div>
        <form id="extra">
          <label>Code <input id="code" name="code" /></label>
        </form>
      </div>
      <a slot="footer" href="#help">Help</a>
    </queue-gate>
  `);
}

function admittedSoon(el: QueueGateElement) {
  return new Promise<void>((resolve) =>
    el.addEventListener('queue-gate-admitted', () => resolve()),
  );
}

describe('<queue-gate> hand-off', () => {
  it('keeps the slotted form unreachable before admission', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine);
    engine.push({ status: 'waiting', seq: 10, position: 3 });
    await el.updateComplete;
    const name = el.querySelector<HTMLInputElement>('#name')!;
    name.focus();
    expect(document.activeElement === name).to.equal(false);
    expect(name.checkVisibility()).to.equal(false);
    expect(name.getClientRects().length).to.equal(0);
    expect(hasDefaultSlot(el)).to.equal(false);
  });

  it('keeps the form unreachable while admitting, reconnecting and after a rejection', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine);
    const name = el.querySelector<HTMLInputElement>('#name')!;
    for (const status of ['admitting', 'reconnecting', 'rejected'] as const) {
      engine.push({ status });
      await el.updateComplete;
      name.focus();
      expect(document.activeElement === name, status).to.equal(false);
      expect(name.checkVisibility(), status).to.equal(false);
    }
  });

  it('puts the admission in a hidden field of each slotted form and reveals them', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine);
    const done = admittedSoon(el);
    engine.push(admitted);
    await done;
    for (const id of ['booking', 'extra']) {
      const inputs = el.querySelectorAll<HTMLInputElement>(`#${id} input[name="queue_admission"]`);
      expect(inputs.length, id).to.equal(1);
      expect([inputs[0]!.type, inputs[0]!.value]).to.deep.equal(['hidden', 'adm.payload.sig']);
    }
    expect(el.querySelector<HTMLInputElement>('#name')!.checkVisibility()).to.equal(true);
  });

  it('moves focus to the deadline above the form on admission, the form next in tab order', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine);
    const done = admittedSoon(el);
    engine.push(admitted);
    await done;
    // A screen reader reads from the focus on: the deadline first, then the form.
    expect(document.activeElement === el).to.equal(true);
    const focused = el.shadowRoot!.activeElement;
    expect(focused?.getAttribute('part')).to.equal('notice admitted-notice');
    expect(focused?.textContent).to.include('Complete your booking');
  });

  it('updates the hidden field, not duplicates it, when a new admission is claimed', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine);
    engine.push(admitted);
    await el.updateComplete;
    engine.push({ status: 'admitting' });
    const done = admittedSoon(el);
    engine.push({ status: 'admitted', admission: 'adm.second.sig' });
    await done;
    const inputs = el.querySelectorAll<HTMLInputElement>('#booking input[name="queue_admission"]');
    expect([...inputs].map((i) => i.value)).to.deep.equal(['adm.second.sig']);
  });

  it('hides the form again and offers a re-claim when the admission expires unsent', async () => {
    const engine = new FakeEngine();
    let now = NOW;
    const el = await mount(engine);
    el.now = () => now;
    const done = admittedSoon(el);
    engine.push(admitted);
    await done;
    now = NOW + 121_000;
    engine.push({ lastUpdatedAt: now });
    await el.updateComplete;
    expect(el.querySelector<HTMLInputElement>('#name')!.checkVisibility()).to.equal(false);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="reclaim-button"]')!.click();
    expect(engine.calls).to.include('reclaim');
  });

  it('redirects to admit-url with the admission in a POST body', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine, '/booking/start');
    const submitted: HTMLFormElement[] = [];
    const stop = (event: SubmitEvent) => {
      submitted.push(event.target as HTMLFormElement);
      event.preventDefault();
    };
    document.addEventListener('submit', stop);
    try {
      const done = admittedSoon(el);
      engine.push(admitted);
      const event = (await Promise.race([
        done.then(() => 'admitted'),
        new Promise((r) => setTimeout(() => r('timeout'), 2000)),
      ])) as string;
      expect(event).to.equal('admitted');
    } finally {
      document.removeEventListener('submit', stop);
    }
    expect(submitted.length).to.equal(1);
    const form = submitted[0]!;
    expect(form.method).to.equal('post');
    expect(new URL(form.action).pathname).to.equal('/booking/start');
    expect(new FormData(form).get('queue_admission')).to.equal('adm.payload.sig');
    expect(hasDefaultSlot(el)).to.equal(false);
    form.remove();
  });

  it('gate.fetch sends the admission as a bearer token', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine);
    const seen: Request[] = [];
    el.fetchImplementation = async (input) => {
      seen.push(input as Request);
      return new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } });
    };
    engine.push(admitted);
    const response = await el.fetch('/api/bookings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"seats":2}',
    });
    expect(await response.json()).to.deep.equal({ ok: true });
    expect(seen.length).to.equal(1);
    const request = seen[0]!;
    expect(request.headers.get('authorization')).to.equal('Bearer adm.payload.sig');
    expect(request.headers.get('content-type')).to.equal('application/json');
    expect([request.method, new URL(request.url).pathname]).to.deep.equal([
      'POST',
      '/api/bookings',
    ]);
    expect(await request.text()).to.equal('{"seats":2}');
  });

  it('gate.fetch refuses to send before admission', async () => {
    const engine = new FakeEngine({ status: 'waiting' });
    const el = await mount(engine);
    let called = false;
    el.fetchImplementation = async () => {
      called = true;
      return new Response('');
    };
    let error: unknown = null;
    await el.fetch('/api/bookings').catch((e: unknown) => (error = e));
    expect(String(error)).to.include('no admission yet');
    expect(called).to.equal(false);
  });

  it('shows the form again after a reload while the admission is valid', async () => {
    // A reload is a new element whose engine restores the admission from storage.
    const engine = new FakeEngine(admitted);
    const el = await mount(engine);
    await el.updateComplete;
    await el.updateComplete;
    expect(el.querySelector<HTMLInputElement>('#name')!.checkVisibility()).to.equal(true);
    expect(el.querySelector<HTMLInputElement>('#booking [name="queue_admission"]')!.value).to.equal(
      'adm.payload.sig',
    );
  });

  it('passes axe once the form is revealed', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine);
    const done = admittedSoon(el);
    engine.push(admitted);
    await done;
    await expect(el).to.be.accessible();
  });
});
