import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import type { QueueGateElement, QueueGateErrorEvent } from '../../src/index.js';
import { identityFrom } from '../../src/element/identity-source.js';
import { FakeEngine, NOW, factoryFor, shadowText } from './fake-engine.js';
import type { EngineFactoryOptions } from '../../src/element/index.js';

const signInNeeded: Partial<QueueSnapshot> = {
  status: 'sign-in-required',
  problem: { code: 'identity_required', message: 'Sign in first.' },
  lastUpdatedAt: NOW,
};
const signInRefused: Partial<QueueSnapshot> = {
  ...signInNeeded,
  problem: { code: 'token_expired', message: 'The identity expired.' },
};

async function mount(
  engine: FakeEngine,
  lang: string,
  factory: ReturnType<typeof factoryFor> | ((o: EngineFactoryOptions) => FakeEngine) = factoryFor(
    engine,
  ),
): Promise<QueueGateElement> {
  return fixture<QueueGateElement>(html`
    <queue-gate
      room="one-per-person"
      endpoint="https://queue.test"
      lang=${lang}
      sign-in-url="/login?next=/book"
      .engineFactory=${factory}
      .now=${() => NOW}
    >
      <form><button>Book</button></form>
    </queue-gate>
  `);
}

describe('<queue-gate> in a room that binds places to the signed-in person', () => {
  const expected = {
    en: {
      needed: ['Please sign in to join this line', 'one place per person', 'Sign in'],
      refused: ['Please sign in to join this line', 'could not be confirmed', 'sign in again'],
      released: 'given up for your other place',
    },
    ko: {
      needed: ['대기하시려면 로그인해 주세요', '한 분께 한 자리만', '로그인'],
      refused: ['대기하시려면 로그인해 주세요', '확인하지 못했습니다', '다시 로그인해 주세요'],
      released: '이 순번은 해제되었습니다',
    },
  };

  for (const lang of ['en', 'ko'] as const) {
    it(`asks a visitor who is not signed in to sign in, in ${lang}, with a link, axe clean`, async () => {
      const engine = new FakeEngine(signInNeeded);
      const el = await mount(engine, lang);
      const text = shadowText(el);
      for (const phrase of expected[lang].needed) expect(text).to.include(phrase);
      const link = el.shadowRoot!.querySelector<HTMLAnchorElement>('a[part="sign-in-link"]');
      expect(link?.getAttribute('href')).to.equal('/login?next=/book');
      expect(text, 'no place numbers on this screen').to.not.include('Your number');
      await expect(el).to.be.accessible();
    });

    it(`asks to sign in again when the sign-in was refused, in ${lang}, axe clean`, async () => {
      const engine = new FakeEngine(signInRefused);
      const el = await mount(engine, lang);
      const text = shadowText(el);
      for (const phrase of expected[lang].refused) expect(text).to.include(phrase);
      await expect(el).to.be.accessible();
    });

    it(`says honestly why a released place is gone, in ${lang}`, async () => {
      const engine = new FakeEngine({
        status: 'rejected',
        rejection: { code: 'place_released', message: 'released' },
      });
      const el = await mount(engine, lang);
      expect(shadowText(el)).to.include(expected[lang].released);
      expect(el.shadowRoot!.querySelector('[part="rejoin-button"]')).to.not.equal(null);
    });
  }

  it("shows the site's own sign-in in the sign-in slot instead of the default link", async () => {
    const engine = new FakeEngine(signInNeeded);
    const el = await fixture<QueueGateElement>(html`
      <queue-gate room="r" endpoint="https://queue.test" .engineFactory=${factoryFor(engine)}>
        <button slot="sign-in">Sign in with the site</button>
      </queue-gate>
    `);
    const slot = el.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="sign-in"]')!;
    expect(slot.assignedElements().map((e) => e.textContent)).to.deep.equal([
      'Sign in with the site',
    ]);
    expect(el.shadowRoot!.querySelector('a[part="sign-in-link"]'), 'no sign-in-url').to.equal(null);
  });

  it('fires queue-gate-error once when the room asks for a sign-in', async () => {
    const engine = new FakeEngine({ status: 'joining' });
    const el = await mount(engine, 'en');
    const errors: string[] = [];
    el.addEventListener('queue-gate-error', (e: QueueGateErrorEvent) =>
      errors.push(e.problem.code),
    );
    engine.push(signInNeeded);
    engine.push({ lastUpdatedAt: NOW + 1000 });
    await el.updateComplete;
    expect(errors).to.deep.equal(['identity_required']);
    expect(el.status).to.equal('sign-in-required');
  });

  it('joins again when the page signs the visitor in, without a new engine', async () => {
    const engine = new FakeEngine(signInNeeded);
    const factory = factoryFor(engine);
    const el = await mount(engine, 'en', factory);
    el.identity = 'a.b.c';
    await el.updateComplete;
    el.identityProvider = async () => 'd.e.f';
    await el.updateComplete;
    el.identityChanged();
    expect(engine.calls.filter((call) => call === 'identityChanged')).to.have.length(3);
    expect(factory.seen, 'the same engine throughout').to.have.length(1);
  });

  it("hands the engine an identity source that reads the element's current settings", async () => {
    const seen: EngineFactoryOptions[] = [];
    const engine = new FakeEngine();
    const el = await mount(engine, 'en', (options) => {
      seen.push(options);
      return engine;
    });
    const identity = seen[0]!.identity!;
    expect(await identity(), 'nobody signed in').to.equal(null);
    el.identity = 'a.b.c';
    expect(await identity()).to.equal('a.b.c');
    el.identityProvider = async () => 'd.e.f';
    expect(await identity(), 'the provider wins').to.equal('d.e.f');
  });

  it('reads the assertion from identity-url of the same origin only, with the cookies', async () => {
    const answers = new Map<string, Response>();
    const seen: { url: string; credentials: RequestCredentials | undefined }[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      seen.push({ url, credentials: init?.credentials });
      return answers.get(new URL(url).pathname) ?? new Response(null, { status: 401 });
    }) as typeof fetch;
    try {
      const settings = { identity: '', identityProvider: null, identityUrl: '/me/identity' };
      const source = identityFrom(settings);
      answers.set('/me/identity', Response.json({ identity: 'a.b.c' }));
      expect(await source()).to.equal('a.b.c');
      expect(seen[0]!.credentials).to.equal('include');
      answers.set('/me/identity', new Response(' g.h.i\n', { status: 200 }));
      expect(await source(), 'text/plain').to.equal('g.h.i');
      answers.delete('/me/identity');
      expect(await source(), '401: not signed in').to.equal(null);
      settings.identityUrl = 'https://elsewhere.example/me/identity';
      const before = seen.length;
      expect(await source(), 'another origin').to.equal(null);
      expect(seen.length, 'never asked').to.equal(before);
    } finally {
      globalThis.fetch = original;
    }
  });
});
