/**
 * What matters most is biggest, and the turn is explained: the people ahead and the wait lead,
 * the number follows in small print (labelled when a draw gave it); the hold is told while
 * waiting; an admission counts down to its deadline and warns in its last minute; the opening
 * never sits on "0:00"; and the progress bar's start survives a reload.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import { createTicketStore } from '../../src/core/ticket-store.js';
import { progressStartKey } from '../../src/core/progress-start.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import type { QueueGateElement } from '../../src/index.js';
import { FakeEngine, NOW, factoryFor, shadowText } from './fake-engine.js';
import { contrast, luminance } from './helpers/contrast.js';

const ENDPOINT = 'https://queue.test';
const ROOM = 'demo';

const waiting: Partial<QueueSnapshot> = {
  status: 'waiting',
  seq: 1_005_001,
  position: 297,
  estimate: { minMs: 9 * 60_000, maxMs: 19 * 60_000 },
  holdSeconds: 300,
  ticketExpiresAt: NOW + 86_400_000,
  lastUpdatedAt: NOW,
};

async function mount(
  engine: FakeEngine,
  lang = 'en',
  now: () => number = () => NOW,
): Promise<QueueGateElement> {
  const el = await fixture<QueueGateElement>(
    html`<queue-gate
      room=${ROOM}
      endpoint=${ENDPOINT}
      lang=${lang}
      .engineFactory=${factoryFor(engine)}
      .now=${now}
    >
      <form><button>Book</button></form>
    </queue-gate>`,
  );
  await el.updateComplete;
  return el;
}

/** The turn comes: an admission expiring at `expiresAt`, handed off (the form revealed). */
async function admit(engine: FakeEngine, el: QueueGateElement, expiresAt: number): Promise<void> {
  engine.push({
    status: 'admitted',
    position: 0,
    admission: 'a.b.c',
    admissionExpiresAt: expiresAt,
  });
  await el.updateComplete;
  await el.updateComplete;
}

const part = (el: QueueGateElement, name: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const fontSize = (element: Element) => parseFloat(getComputedStyle(element).fontSize);

/** Waits (on the element's own one-second ticker) until `check` holds, or fails after 3 s. */
async function until(check: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 3000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('<queue-gate> headline figures', () => {
  for (const lang of ['en', 'ko']) {
    it(`puts the people ahead first and biggest, the wait next, the number last (${lang})`, async () => {
      const engine = new FakeEngine();
      const el = await mount(engine, lang);
      engine.push(waiting);
      await el.updateComplete;
      const figures = [...el.shadowRoot!.querySelectorAll('dd')];
      expect(figures.map((dd) => dd.getAttribute('part'))).to.deep.equal([
        'ahead',
        'eta',
        'position',
      ]);
      const [ahead, eta, position] = figures.map(fontSize) as [number, number, number];
      expect(ahead).to.be.above(eta);
      expect(eta).to.be.above(position);
      expect(position).to.be.at.most(fontSize(el.shadowRoot!.querySelector('[part="panel"]')!));
    });
  }

  it('says the number came from the draw, and how many were ahead at the draw', async () => {
    const engine = new FakeEngine({
      status: 'waiting',
      opensAt: NOW + 60_000,
      ticketExpiresAt: NOW + 86_400_000,
      lastUpdatedAt: NOW,
    });
    const el = await mount(engine);
    engine.push({ opensAt: null, seq: 21, serving: 7, position: 14 });
    await el.updateComplete;
    engine.push({ serving: 12, position: 9 });
    await el.updateComplete;
    const text = shadowText(el);
    expect(text).to.include(
      'The opening draw has placed you in line: 13 people were ahead of you when you got your place.',
    );
    expect(text).to.include('Your number from the draw 21');
    expect(part(el, 'ahead')!.textContent!.replace(/\s+/gu, ' ').trim()).to.equal('8 people');
    await expect(el).to.be.accessible();
  });

  it('says the same in Korean after a draw', async () => {
    const engine = new FakeEngine({
      status: 'waiting',
      opensAt: NOW + 60_000,
      ticketExpiresAt: NOW + 86_400_000,
      lastUpdatedAt: NOW,
    });
    const el = await mount(engine, 'ko');
    engine.push({ opensAt: null, seq: 21, serving: 7, position: 14 });
    await el.updateComplete;
    expect(shadowText(el)).to.include('순번을 받으셨을 때 고객님 앞에는 13명이 있었습니다.');
    expect(shadowText(el)).to.include('추첨으로 받은 번호 21');
  });

  it('keeps the plain label for a place that no draw gave', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine);
    engine.push(waiting);
    await el.updateComplete;
    expect(shadowText(el)).to.include('Your number 1,005,001');
    expect(part(el, 'draw-notice') === null).to.equal(true);
  });
});

describe('<queue-gate> and the turn', () => {
  it('tells the hold while waiting, once the server said it (en, ko)', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine);
    engine.push({ ...waiting, holdSeconds: null });
    await el.updateComplete;
    expect(part(el, 'hold') === null).to.equal(true);
    engine.push({ holdSeconds: 300 });
    await el.updateComplete;
    expect(shadowText(el)).to.include('When it’s your turn, you’ll have 5 minutes to book.');
    el.lang = 'ko';
    await el.updateComplete;
    expect(shadowText(el)).to.include('차례가 되면 5분 동안 예약하실 수 있습니다.');
  });

  it('rounds a hold down and says short ones in seconds', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine);
    engine.push({ ...waiting, holdSeconds: 150 });
    await el.updateComplete;
    expect(shadowText(el)).to.include('you’ll have 2 minutes to book');
    engine.push({ holdSeconds: 90 });
    await el.updateComplete;
    expect(shadowText(el)).to.include('you’ll have 90 seconds to book');
  });

  it('heads an admission "It’s your turn" and counts down each second to its deadline', async () => {
    const engine = new FakeEngine(waiting);
    let now = NOW;
    const el = await mount(engine, 'en', () => now);
    await admit(engine, el, NOW + 120_000);
    const notice = part(el, 'admitted-notice')!;
    expect(notice.querySelector('h2')!.textContent!.trim()).to.equal('It’s your turn');
    const clock = () => part(el, 'countdown')?.querySelector('time')?.textContent?.trim();
    expect(clock()).to.equal('2:00');
    expect(part(el, 'countdown')!.closest('[role="status"], [aria-live]') === null).to.equal(true);
    // No new snapshot: the element's own ticker moves the countdown.
    now = NOW + 3000;
    await until(() => clock() === '1:57', 'the countdown to tick');
    expect(fontSize(part(el, 'countdown')!.querySelector('time')!)).to.be.above(
      fontSize(notice) * 1.5,
    );
  });

  it('warns once less than a minute is left, in a status region present from the start', async () => {
    const engine = new FakeEngine(waiting);
    let now = NOW;
    const el = await mount(engine, 'en', () => now);
    await admit(engine, el, NOW + 120_000);
    const region = el.shadowRoot!.querySelector('.turn-warning')!;
    expect(region.getAttribute('role')).to.equal('status');
    expect(region.textContent!.trim()).to.equal('');
    now = NOW + 59_000;
    await until(() => part(el, 'countdown')?.textContent?.includes('1:01') ?? false, '1:01');
    expect(part(el, 'turn-warning') === null).to.equal(true);
    now = NOW + 60_500;
    await until(() => part(el, 'turn-warning') !== null, 'the warning');
    expect(el.shadowRoot!.querySelector('.turn-warning') === region).to.equal(true);
    expect(region.textContent!.trim()).to.equal(
      'Less than a minute left. Please complete your booking now.',
    );
  });

  it('has no axe violation with the turn notice, its countdown and its warning', async () => {
    const engine = new FakeEngine(waiting);
    const el = await mount(engine, 'en', () => NOW + 70_000);
    await admit(engine, el, NOW + 120_000);
    expect(part(el, 'turn-warning') !== null).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('shows the countdown on the panel when the page handles the admission itself', async () => {
    const engine = new FakeEngine(waiting);
    const el = await mount(engine, 'ko');
    el.addEventListener('queue-gate-admit', (event) => event.preventDefault());
    await admit(engine, el, NOW + 45_000);
    expect(part(el, 'title')!.textContent!.trim()).to.equal('고객님 차례입니다');
    expect(part(el, 'countdown')!.textContent).to.include('0:45');
    expect(shadowText(el)).to.include('남은 시간이 1분도 되지 않습니다.');
  });
});

describe('<queue-gate> before the opening', () => {
  const preOpen: Partial<QueueSnapshot> = {
    status: 'waiting',
    opensAt: NOW + 5000,
    ticketExpiresAt: NOW + 86_400_000,
    lastUpdatedAt: NOW,
  };

  it('counts down in large figures, then says the draw is on instead of sitting on 0:00', async () => {
    const engine = new FakeEngine(preOpen);
    let now = NOW;
    const el = await mount(engine, 'en', () => now);
    const countdown = part(el, 'countdown')!;
    expect(countdown.textContent).to.include('Opens in 0:05');
    expect(fontSize(countdown)).to.be.at.least(
      1.5 * fontSize(el.shadowRoot!.querySelector('[part="notice"]')!),
    );
    now = NOW + 4500;
    await until(() => part(el, 'countdown')!.textContent!.includes('0:01'), '0:01');
    now = NOW + 5000;
    await until(() => part(el, 'countdown')!.textContent!.includes('Opening now'), 'zero');
    expect(shadowText(el)).to.include('Opening now… drawing places');
    expect(shadowText(el)).to.not.include('0:00');
    now = NOW + 11_000;
    el.requestUpdate();
    await el.updateComplete;
    expect(shadowText(el)).to.include('Opening now… drawing places');
  });

  it('says the draw is on in Korean', async () => {
    const engine = new FakeEngine(preOpen);
    const el = await mount(engine, 'ko', () => NOW + 6000);
    expect(shadowText(el)).to.include('지금 열리고 있습니다… 순번을 추첨하는 중입니다');
  });
});

describe('<queue-gate> progress bar', () => {
  const store = () => createTicketStore({ endpoint: ENDPOINT, room: ROOM });
  afterEach(() => store().clear());

  const percent = (el: QueueGateElement) =>
    el.shadowRoot!.querySelector('[role="progressbar"]')!.getAttribute('aria-valuenow');

  async function visit(...positions: number[]): Promise<QueueGateElement> {
    const engine = new FakeEngine();
    const el = await mount(engine);
    for (const position of positions) engine.push({ ...waiting, seq: 500, position });
    await el.updateComplete;
    return el;
  }

  it('keeps its start across a reload while the ticket is kept, and drops it with the ticket', async () => {
    store().save({ ticket: 'x.y.z', seq: 500, ticketExpiresAt: Date.now() + 86_400_000 });
    const first = await visit(1000, 280);
    expect(percent(first)).to.equal('72');
    first.remove();
    // A reload: a new element and engine over the same storage, first seeing position 280.
    const reloaded = await visit(280);
    expect(percent(reloaded)).to.equal('72');
    reloaded.remove();
    store().clear();
    expect(localStorage.getItem(progressStartKey(ENDPOINT, ROOM))).to.equal(null);
    expect(percent(await visit(280))).to.equal('0');
  });

  it('never trusts a start stored for another place or without its ticket', async () => {
    localStorage.setItem(
      progressStartKey(ENDPOINT, ROOM),
      JSON.stringify({ seq: 500, start: 1000, fromDraw: false }),
    );
    expect(percent(await visit(280))).to.equal('0');
    store().save({ ticket: 'x.y.z', seq: 499, ticketExpiresAt: Date.now() + 86_400_000 });
    expect(percent(await visit(280))).to.equal('0');
  });
});

describe('<queue-gate> progress track contrast', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`sets the empty track apart from the panel and the fill from the track (${scheme})`, async () => {
      // The element's colours follow the colour scheme it inherits from the page. (A fixture
      // of a wrapper would wait for an animation frame, which a background page may never get.)
      const engine = new FakeEngine();
      const el = await fixture<QueueGateElement>(
        html`<queue-gate
          style="color-scheme: ${scheme}"
          room=${ROOM}
          lang="en"
          .engineFactory=${factoryFor(engine)}
          .now=${() => NOW}
        ></queue-gate>`,
      );
      engine.push({ ...waiting, seq: 9, position: 100 });
      engine.push({ position: 50 });
      await el.updateComplete;
      const panel = getComputedStyle(el.shadowRoot!.querySelector('[part="panel"]')!);
      const track = getComputedStyle(part(el, 'progress')!);
      const fill = getComputedStyle(part(el, 'progress-bar')!);
      expect(luminance(panel.backgroundColor) < 0.2).to.equal(scheme === 'dark');
      expect(parseFloat(track.borderTopWidth)).to.be.at.least(1);
      expect(contrast(track.borderTopColor, panel.backgroundColor)).to.be.at.least(3);
      expect(contrast(fill.backgroundColor, track.backgroundColor)).to.be.at.least(3);
    });
  }
});
