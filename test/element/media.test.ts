import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/index.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import type { QueueGateElement } from '../../src/index.js';
import { FakeEngine, NOW, factoryFor } from './fake-engine.js';

const waiting: Partial<QueueSnapshot> = {
  status: 'waiting',
  seq: 420,
  position: 42,
  estimate: { minMs: 60_000, maxMs: 180_000 },
  lastUpdatedAt: NOW,
};

async function mount(changes: Partial<QueueSnapshot>[]): Promise<QueueGateElement> {
  const engine = new FakeEngine();
  const el = await fixture<QueueGateElement>(
    html`<queue-gate room="demo" lang="en" .engineFactory=${factoryFor(engine)} .now=${() => NOW}>
    </queue-gate>`,
  );
  for (const change of changes) engine.push(change);
  await el.updateComplete;
  return el;
}

describe('<queue-gate> and the visitor’s display preferences', () => {
  afterEach(async () => {
    document.documentElement.style.colorScheme = '';
    await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
  });

  it('switches to dark colours and stays free of axe violations in dark mode', async () => {
    // The element follows the page's colour scheme: here a page that follows the system.
    document.documentElement.style.colorScheme = 'light dark';
    await emulateMedia({ colorScheme: 'dark' });
    const screens: Partial<QueueSnapshot>[][] = [
      [waiting],
      [waiting, { status: 'reconnecting', nextAttemptAt: NOW + 5000 }],
      [{ status: 'rejected', rejection: { code: 'token_expired', message: 'x' } }],
    ];
    for (const screen of screens) {
      const el = await mount(screen);
      const panel = el.shadowRoot!.querySelector('[part="panel"]')!;
      expect(getComputedStyle(panel).backgroundColor).to.equal('rgb(30, 31, 34)');
      await expect(el).to.be.accessible();
    }
  });

  it('keeps a site’s own colours in dark mode', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const el = await mount([waiting]);
    el.style.setProperty('--queue-gate-background', 'rgb(1, 2, 3)');
    const panel = el.shadowRoot!.querySelector('[part="panel"]')!;
    expect(getComputedStyle(panel).backgroundColor).to.equal('rgb(1, 2, 3)');
  });

  it('stops the progress and spinner animations under reduced motion', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const el = await mount([waiting]);
    const bar = el.shadowRoot!.querySelector('.bar')!;
    expect(getComputedStyle(bar).transitionProperty).to.equal('none');
    const joining = await mount([{ status: 'joining' }]);
    const spinner = joining.shadowRoot!.querySelector('.spinner')!;
    expect(getComputedStyle(spinner).animationName).to.equal('none');
  });
});
