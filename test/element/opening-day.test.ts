import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import type { QueueGateElement } from '../../src/index.js';
import { FakeEngine, NOW, factoryFor, shadowText } from './fake-engine.js';

const clock = (epochMs: number, lang: string) =>
  new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' }).format(epochMs);

async function mount(engine: FakeEngine, lang: string, cohort = ''): Promise<QueueGateElement> {
  return fixture<QueueGateElement>(html`
    <queue-gate
      room="vaccine"
      endpoint="https://queue.test"
      lang=${lang}
      cohort=${cohort}
      .engineFactory=${factoryFor(engine)}
      .now=${() => NOW}
    >
      <form><button>Book</button></form>
    </queue-gate>
  `);
}

const preOpen: Partial<QueueSnapshot> = {
  status: 'waiting',
  roomStatus: 'open',
  opensAt: NOW + 9 * 60_000 + 5000,
  ticketExpiresAt: NOW + 86_400_000,
  lastUpdatedAt: NOW,
};
const cohortLater: Partial<QueueSnapshot> = {
  status: 'paused',
  cohortOpensAt: NOW + 2 * 3_600_000,
  problem: { code: 'cohort_not_open', message: 'later', opensAt: NOW + 2 * 3_600_000 },
};

describe('<queue-gate> on opening day', () => {
  const expected = {
    en: {
      preOpen: (at: string) => [
        'The waiting room opens soon',
        `It opens at ${at}`,
        'fair random place',
        'Opens in 9:05',
      ],
      cohort: (at: string) => ['Not your group’s turn yet', `Your group can join from ${at}`],
    },
    ko: {
      preOpen: (at: string) => [
        '곧 대기실이 열립니다',
        `${at}에 열립니다`,
        '공정한 무작위 추첨',
        '열리기까지 9:05',
      ],
      cohort: (at: string) => [
        '아직 고객님 그룹의 차례가 아닙니다',
        `고객님 그룹은 ${at}부터 입장하실 수 있습니다`,
      ],
    },
  };

  for (const lang of ['en', 'ko'] as const) {
    it(`shows the opening time and a countdown to a pre-open visitor in ${lang}, axe clean`, async () => {
      const engine = new FakeEngine(preOpen);
      const el = await mount(engine, lang);
      const text = shadowText(el);
      for (const phrase of expected[lang].preOpen(clock(preOpen.opensAt!, lang))) {
        expect(text).to.include(phrase);
      }
      expect(text).to.not.include('Your number');
      await expect(el).to.be.accessible();
    });

    it(`tells a visitor whose cohort is not open when it opens in ${lang}, axe clean`, async () => {
      const engine = new FakeEngine(cohortLater);
      const el = await mount(engine, lang, '3');
      const text = shadowText(el);
      for (const phrase of expected[lang].cohort(clock(cohortLater.cohortOpensAt!, lang))) {
        expect(text).to.include(phrase);
      }
      await expect(el).to.be.accessible();
    });
  }

  it('says when the cohort window has closed', async () => {
    const engine = new FakeEngine({
      status: 'closed',
      cohortOpensAt: null,
      problem: { code: 'cohort_not_open', message: 'closed' },
    });
    const el = await mount(engine, 'en');
    expect(shadowText(el)).to.include('Your group’s booking window has closed.');
  });

  it('hands the cohort attribute to the engine factory', async () => {
    const engine = new FakeEngine(preOpen);
    const factory = factoryFor(engine);
    await fixture(
      html`<queue-gate
        room="vaccine"
        endpoint="https://queue.test"
        cohort="7"
        .engineFactory=${factory}
      ></queue-gate>`,
    );
    expect(factory.seen.at(-1)).to.deep.equal({
      room: 'vaccine',
      endpoint: 'https://queue.test',
      cohort: '7',
    });
  });

  it('counts down as time passes and switches to the line once the draw gave a place', async () => {
    const engine = new FakeEngine(preOpen);
    const el = await mount(engine, 'en');
    el.now = () => NOW + 9 * 60_000;
    engine.push({ lastUpdatedAt: NOW + 1 });
    await el.updateComplete;
    expect(shadowText(el)).to.include('Opens in 0:05');
    engine.push({ opensAt: null, seq: 42, serving: 0, position: 42 });
    await el.updateComplete;
    expect(shadowText(el)).to.include('You are in line');
    expect(shadowText(el)).to.include('42');
  });
});
