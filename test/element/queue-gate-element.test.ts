import { expect, fixture, fixtureSync, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/index.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import { QueueGate, QueueGateElement } from '../../src/index.js';
import { FakeEngine, NOW, factoryFor, hasDefaultSlot, shadowText } from './fake-engine.js';

const MIN = 60_000;
const clock = (epochMs: number, lang: string) =>
  new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' }).format(epochMs);

async function mount(engine: FakeEngine, lang: string): Promise<QueueGateElement> {
  return fixture<QueueGateElement>(html`
    <queue-gate
      room="demo"
      endpoint="https://queue.test"
      lang=${lang}
      .engineFactory=${factoryFor(engine)}
      .now=${() => NOW}
    >
      <span slot="header">Concert tickets</span>
      <form>
        <label>Name <input name="name" /></label>
        <button>Book</button>
      </form>
    </queue-gate>
  `);
}

const waiting: Partial<QueueSnapshot> = {
  status: 'waiting',
  seq: 1_234_567,
  serving: 1_222_222,
  position: 12_345,
  ratePerSec: 14,
  estimate: { minMs: 12 * MIN, maxMs: 18 * MIN },
  roomStatus: 'open',
  ticketExpiresAt: NOW + 3 * 60 * MIN,
  holdSeconds: 600,
  lastUpdatedAt: NOW - 5000,
};

interface StateCase {
  name: string;
  steps: Partial<QueueSnapshot>[];
  en: (s: QueueSnapshot) => string[];
  ko: (s: QueueSnapshot) => string[];
}

const STATES: StateCase[] = [
  {
    name: 'joining',
    steps: [{ status: 'joining' }],
    en: () => ['Getting your place in line'],
    ko: () => ['대기 순번을 받고 있습니다'],
  },
  {
    name: 'waiting',
    steps: [waiting],
    en: () => [
      'You are in line',
      '1,234,567',
      '12,344 people',
      'About 10–20 min',
      'Updated 5 s ago',
      'your place is kept',
    ],
    ko: () => [
      '대기 중입니다',
      '1,234,567',
      '12,344명',
      '약 10~20분',
      '5초 전 갱신됨',
      '순번은 유지됩니다',
    ],
  },
  {
    name: 'waiting without an estimate',
    steps: [{ ...waiting, estimate: { minMs: null, maxMs: null }, lastUpdatedAt: null }],
    en: () => ['Estimate not yet known', 'Not updated yet'],
    ko: () => ['아직 예상 시간을 알 수 없습니다', '아직 갱신되지 않음'],
  },
  {
    name: 'waiting more than a day',
    steps: [{ ...waiting, estimate: { minMs: 40 * 60 * MIN, maxMs: 56 * 60 * MIN } }],
    // The expected end is said as a date and time: 2026-11-25 around 11:45 UTC.
    en: () => ['About 40–56 hours, around'],
    ko: () => ['약 40~56시간 ('],
  },
  {
    name: 'reconnecting',
    steps: [
      waiting,
      {
        status: 'reconnecting',
        nextAttemptAt: NOW + 8000,
        problem: { code: 'network', message: 'offline' },
      },
    ],
    en: () => [
      'Connection lost',
      'Your place in line is kept. When it’s your turn, you’ll have 10 minutes to book.',
      'Trying again in 8 s',
      'Try now',
      '12,344 people',
    ],
    ko: () => [
      '연결이 끊겼습니다',
      '순번은 그대로 유지됩니다',
      '8초 후 다시 시도합니다',
      '12,344명',
    ],
  },
  {
    name: 'paused',
    steps: [{ ...waiting, status: 'paused', roomStatus: 'paused' }],
    en: () => ['The line is paused', 'keep this page open. Your place in line is kept.'],
    ko: () => ['대기열이 일시 중지되었습니다', '이 페이지를 열어 두세요'],
  },
  {
    name: 'closed',
    steps: [{ ...waiting, status: 'closed', roomStatus: 'closed' }],
    en: () => ['This waiting room is closed', 'check the site for news'],
    ko: () => ['대기실이 닫혔습니다', '사이트 공지를 확인해 주세요'],
  },
  {
    name: 'admitting',
    steps: [{ ...waiting, status: 'admitting', position: 0 }],
    en: () => ['It’s your turn, connecting…'],
    ko: () => ['고객님 차례입니다. 연결하고 있습니다…'],
  },
  {
    name: 'admitted',
    steps: [
      {
        ...waiting,
        status: 'admitted',
        position: 0,
        admission: 'adm.token.sig',
        admissionExpiresAt: NOW + 2 * MIN,
      },
    ],
    en: (s) => [`Complete your booking before ${clock(s.admissionExpiresAt!, 'en')}`],
    ko: (s) => [`${clock(s.admissionExpiresAt!, 'ko')} 전에 예약을 마쳐 주세요`],
  },
  {
    name: 'admission expired',
    steps: [
      {
        ...waiting,
        status: 'admitted',
        position: 0,
        admission: 'adm.token.sig',
        admissionExpiresAt: NOW - 1000,
      },
    ],
    en: () => ['Your admission expired', 'Claim admission again'],
    ko: () => ['예약 가능 시간이 지났습니다', '입장 다시 요청하기'],
  },
  {
    name: 'rejected',
    steps: [
      {
        status: 'rejected',
        rejection: { code: 'token_expired', message: 'expired' },
      },
    ],
    en: () => ['Your place could not be kept', 'Your place in line expired', 'Join the line again'],
    ko: () => ['순번을 유지하지 못했습니다', '대기 순번의 유효 시간이 지났습니다', '다시 줄 서기'],
  },
  {
    name: 'booked, after a reload',
    steps: [{ status: 'booked', seq: 7, booking: { outcome: 'booked', restored: true } }],
    en: () => ['Booking complete', 'You can close this page', 'Join the line again'],
    ko: () => ['예약이 완료되었습니다', '이 페이지를 닫으셔도 됩니다', '다시 줄 서기'],
  },
  {
    name: 'booked in this page',
    steps: [
      { ...waiting, status: 'admitted', position: 0, admission: 'adm.token.sig' },
      { status: 'booked', admission: null, booking: { outcome: 'booked', restored: false } },
    ],
    en: () => ['Booking complete'],
    ko: () => ['예약이 완료되었습니다'],
  },
  {
    name: 'place already used',
    steps: [{ status: 'booked', booking: { outcome: 'already-used', restored: false } }],
    en: () => ['This place was already used to book', 'books once', 'Join the line again'],
    ko: () => [
      '이 순번은 이미 예약에 사용되었습니다',
      '한 번만 예약하실 수 있습니다',
      '다시 줄 서기',
    ],
  },
];

async function render(state: StateCase, lang: string) {
  const engine = new FakeEngine();
  const el = await mount(engine, lang);
  for (const step of state.steps) engine.push(step);
  await el.updateComplete;
  return { el, engine, snapshot: engine.getSnapshot() };
}

describe('<queue-gate> screens', () => {
  for (const lang of ['en', 'ko'] as const) {
    for (const state of STATES) {
      it(`shows the ${state.name} screen in ${lang}`, async () => {
        const { el, snapshot } = await render(state, lang);
        const text = shadowText(el);
        for (const expected of state[lang](snapshot)) expect(text).to.include(expected);
        expect(el.status).to.equal(snapshot.status);
      });

      it(`has no axe violation on the ${state.name} screen in ${lang}`, async () => {
        const { el } = await render(state, lang);
        await expect(el).to.be.accessible();
      });
    }
  }

  it('shows the slotted header on the waiting screen', async () => {
    const { el } = await render(STATES[1]!, 'en');
    const header = el.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="header"]')!;
    expect(header.assignedElements().map((e) => e.textContent)).to.deep.equal(['Concert tickets']);
  });

  it('never blanks the numbers while reconnecting', async () => {
    const { el } = await render(STATES[4]!, 'en');
    expect(el.shadowRoot!.querySelector('[part="position"]')!.textContent!.trim()).to.equal(
      '1,234,567',
    );
    expect(el.shadowRoot!.querySelector('[part="ahead"]')!.textContent!.trim()).to.equal(
      '12,344 people',
    );
    expect(hasDefaultSlot(el)).to.equal(false);
  });

  it('fills the progress bar from the first position seen towards the front', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine, 'en');
    engine.push({ ...waiting, position: 1000 });
    engine.push({ position: 250 });
    await el.updateComplete;
    const bar = el.shadowRoot!.querySelector('[role="progressbar"]')!;
    expect(bar.getAttribute('aria-valuenow')).to.equal('75');
  });

  it('keeps the read-only properties in step with the core', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine, 'en');
    expect(el.status).to.equal('idle');
    expect(el.seq).to.equal(null);
    engine.push(waiting);
    expect([el.status, el.seq, el.position, el.admission]).to.deep.equal([
      'waiting',
      1_234_567,
      12_345,
      null,
    ]);
    engine.push({ status: 'admitted', admission: 'adm.token.sig', position: 0 });
    expect(el.admission).to.equal('adm.token.sig');
  });

  it('creates its engine for its room and endpoint and starts it', async () => {
    const engine = new FakeEngine();
    const factory = factoryFor(engine);
    const el = await fixture<QueueGateElement>(
      html`<queue-gate
        room="concert"
        endpoint="https://q.example"
        .engineFactory=${factory}
      ></queue-gate>`,
    );
    expect(factory.seen).to.deep.equal([{ room: 'concert', endpoint: 'https://q.example' }]);
    expect(engine.calls).to.deep.equal(['start']);
    el.remove();
    // Stopped a microtask later: a move in the DOM (removed and added again at once) keeps it.
    await Promise.resolve();
    expect(engine.calls).to.deep.equal(['start', 'stop']);
  });

  it('replaces its engine when the room changes', async () => {
    const first = new FakeEngine();
    const second = new FakeEngine({ status: 'joining', room: 'other' });
    const engines = [first, second];
    const seen: string[] = [];
    const el = await fixture<QueueGateElement>(
      html`<queue-gate
        room="one"
        .engineFactory=${({ room }: { room: string }) => {
          seen.push(room);
          return engines.shift()!;
        }}
      ></queue-gate>`,
    );
    el.room = 'two';
    await el.updateComplete;
    expect(seen).to.deep.equal(['one', 'two']);
    expect(first.calls).to.deep.equal(['start', 'stop']);
    expect(el.status).to.equal('joining');
  });

  it('calls the engine from the retry, rejoin and reclaim buttons', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine, 'en');
    const click = async (part: string) => {
      await el.updateComplete;
      el.shadowRoot!.querySelector<HTMLButtonElement>(`[part="${part}"]`)!.click();
    };
    engine.push({ ...waiting, status: 'reconnecting', nextAttemptAt: NOW + 3000 });
    await click('retry-button');
    engine.push({ status: 'rejected', rejection: { code: 'hold_expired', message: 'late' } });
    await click('rejoin-button');
    engine.push({ status: 'admitted', admission: 'a.b.c', admissionExpiresAt: NOW - 1 });
    await click('reclaim-button');
    expect(engine.calls).to.deep.equal(['start', 'retryNow', 'rejoin', 'reclaim']);
  });

  it('follows the closest ancestor language, then the document', async () => {
    const engine = new FakeEngine({ status: 'joining' });
    const wrapper = fixtureSync<HTMLDivElement>(html`
      <div lang="ko-KR">
        <queue-gate room="demo" .engineFactory=${factoryFor(engine)}></queue-gate>
      </div>
    `);
    const el = wrapper.querySelector('queue-gate')!;
    await el.updateComplete;
    expect(shadowText(el)).to.include('대기 순번을 받고 있습니다');
    wrapper.removeAttribute('lang');
    el.setAttribute('lang', 'en');
    await el.updateComplete;
    expect(shadowText(el)).to.include('Getting your place in line');
  });

  it('lets the site override any string', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine, 'en');
    el.strings = { waitingTitle: 'Hold tight', ahead: (_c, n) => `${n} fans` };
    engine.push(waiting);
    await el.updateComplete;
    expect(shadowText(el)).to.include('Hold tight').and.include('12,344 fans');
  });

  for (const [lang, nextInLine, oneAhead] of [
    ['en', 'No one', '1 person'],
    ['ko', '없음', '1명'],
  ] as const) {
    it(`counts the people ahead, not the visitor's own place, in ${lang}`, async () => {
      const engine = new FakeEngine();
      const el = await mount(engine, lang);
      const ahead = () => el.shadowRoot!.querySelector('[part="ahead"]')!.textContent!.trim();
      // position 2: one more place to go before the visitor's own, so one person is ahead.
      engine.push({ ...waiting, position: 2 });
      await el.updateComplete;
      expect(ahead()).to.equal(oneAhead);
      engine.push({ position: 1 });
      await el.updateComplete;
      expect(ahead()).to.equal(nextInLine);
    });
  }

  it('announces status changes and milestones politely, not every tick', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine, 'en');
    const live = () => el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim();
    engine.push({ ...waiting, position: 120 });
    await el.updateComplete;
    expect(live()).to.equal('You are in line. Ahead of you: 119 people');
    engine.push({ position: 119 });
    await el.updateComplete;
    expect(live()).to.equal('You are in line. Ahead of you: 119 people');
    engine.push({ position: 99 });
    await el.updateComplete;
    expect(live()).to.equal('Ahead of you: 98 people');
  });

  it('keeps one live region node across screens so no announcement is lost', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine, 'en');
    const region = el.shadowRoot!.querySelector('[role="status"]');
    engine.push(waiting);
    await el.updateComplete;
    engine.push({
      status: 'admitted',
      position: 0,
      admission: 'a.b.c',
      admissionExpiresAt: NOW + 60_000,
    });
    await el.updateComplete;
    await el.updateComplete;
    expect(hasDefaultSlot(el)).to.equal(true);
    expect(el.shadowRoot!.querySelector('[role="status"]') === region).to.equal(true);
    // The heading and the deadline, as the screen shows them: focus moves on right after.
    const spaced = (text: string) => text.replace(/\s+/gu, ' ').trim();
    expect(spaced(region!.textContent!)).to.equal(
      spaced(`It’s your turn. Complete your booking before ${clock(NOW + 60_000, 'en')}.`),
    );
  });

  it('can be operated from the keyboard alone', async () => {
    const engine = new FakeEngine();
    const el = await mount(engine, 'en');
    engine.push({ ...waiting, status: 'reconnecting', nextAttemptAt: NOW + 3000 });
    await el.updateComplete;
    (document.activeElement as HTMLElement | null)?.blur();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('retry-button');
    await sendKeys({ press: 'Enter' });
    expect(engine.calls).to.deep.equal(['start', 'retryNow']);
  });

  it('registers idempotently, and under another tag through a subclass', () => {
    expect(() => QueueGateElement.define()).to.not.throw();
    expect(customElements.get('queue-gate') === QueueGateElement).to.equal(true);
    class OtherGate extends QueueGateElement {}
    OtherGate.define('other-queue-gate');
    OtherGate.define('other-queue-gate');
    expect(customElements.get('other-queue-gate') === OtherGate).to.equal(true);
    expect(QueueGate === QueueGateElement).to.equal(true);
  });

  it('renders as a page-covering overlay in overlay mode', async () => {
    const engine = new FakeEngine({ status: 'joining' });
    const el = await fixture<QueueGateElement>(
      html`<queue-gate
        mode="overlay"
        room="demo"
        .engineFactory=${factoryFor(engine)}
      ></queue-gate>`,
    );
    const overlay = el.shadowRoot!.querySelector('.overlay')!;
    expect(getComputedStyle(overlay).position).to.equal('fixed');
    const rect = overlay.getBoundingClientRect();
    expect([rect.width, rect.height]).to.deep.equal([innerWidth, innerHeight]);
  });
});
