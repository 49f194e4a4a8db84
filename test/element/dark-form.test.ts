/**
 * Dark mode and the page's own content: the panel follows the page's colour scheme (or the
 * `color-scheme` attribute), and the slotted booking form keeps the page's colours and font
 * whatever the visitor's system setting, so its labels stay readable on a light page.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/index.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import type { QueueGateColorScheme, QueueGateElement } from '../../src/index.js';
import { FakeEngine, NOW, factoryFor, hasDefaultSlot } from './fake-engine.js';
import { contrast } from './helpers/contrast.js';
import { SCREEN_STATES } from './screenshots/states.js';

const screen = (name: string): Partial<QueueSnapshot> =>
  SCREEN_STATES.find((state) => state.name === name)!.steps.at(-1)!;
const waiting = screen('waiting');
const admitted = screen('admitted');

const LIGHT_PANEL = 'rgb(255, 255, 255)';
const DARK_PANEL = 'rgb(30, 31, 34)';

async function mount(
  step: Partial<QueueSnapshot>,
  scheme?: QueueGateColorScheme,
): Promise<QueueGateElement> {
  const engine = new FakeEngine();
  const el = await fixture<QueueGateElement>(html`
    <queue-gate
      room="demo"
      lang="en"
      color-scheme=${scheme ?? 'page'}
      .engineFactory=${factoryFor(engine)}
      .now=${() => NOW}
    >
      <form>
        <label id="name-label">Name <input name="name" /></label>
        <button>Book</button>
      </form>
    </queue-gate>
  `);
  engine.push(step);
  await el.updateComplete;
  for (let waited = 0; step.status === 'admitted' && !hasDefaultSlot(el); waited += 20) {
    if (waited > 5000) throw new Error('the form was never revealed');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await el.updateComplete;
  return el;
}

function panelBackground(el: QueueGateElement): string {
  return getComputedStyle(el.shadowRoot!.querySelector('[part="panel"]')!).backgroundColor;
}

/** The colour the page paints behind its content: the body's, else the root's, else white. */
function pageBackground(): string {
  for (const element of [document.body, document.documentElement]) {
    const colour = getComputedStyle(element).backgroundColor;
    if (colour !== 'rgba(0, 0, 0, 0)') return colour;
  }
  return 'rgb(255, 255, 255)';
}

describe('<queue-gate> colour scheme and the slotted form', () => {
  afterEach(async () => {
    document.documentElement.style.colorScheme = '';
    document.querySelector('meta[name="color-scheme"]')?.remove();
    await emulateMedia({ colorScheme: 'light' });
  });

  it('keeps the form labels of a light page readable in dark system mode', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    for (const scheme of ['page', 'auto', 'dark'] as const) {
      const el = await mount(admitted, scheme);
      expect(hasDefaultSlot(el), scheme).to.equal(true);
      const label = el.querySelector('#name-label')!;
      const ratio = contrast(getComputedStyle(label).color, pageBackground());
      expect(ratio, `label contrast with color-scheme="${scheme}"`).to.be.at.least(4.5);
      // The page's own colour and font, not the element's.
      expect(getComputedStyle(label).color).to.equal(getComputedStyle(document.body).color);
      expect(getComputedStyle(label).fontFamily).to.equal(
        getComputedStyle(document.body).fontFamily,
      );
      expect(getComputedStyle(label).colorScheme).to.equal('normal');
    }
  });

  it('follows the page: light on a light page even when the system is dark', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    expect(panelBackground(await mount(waiting))).to.equal(LIGHT_PANEL);
  });

  it('follows a page that follows the system, by CSS or by meta tag', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    document.documentElement.style.colorScheme = 'light dark';
    expect(panelBackground(await mount(waiting)), 'CSS').to.equal(DARK_PANEL);
    document.documentElement.style.colorScheme = '';
    const meta = Object.assign(document.createElement('meta'), {
      name: 'color-scheme',
      content: 'light dark',
    });
    document.head.append(meta);
    expect(panelBackground(await mount(waiting)), 'meta').to.equal(DARK_PANEL);
  });

  it('follows the system with color-scheme="auto"', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    expect(panelBackground(await mount(waiting, 'auto'))).to.equal(DARK_PANEL);
    await emulateMedia({ colorScheme: 'light' });
    expect(panelBackground(await mount(waiting, 'auto'))).to.equal(LIGHT_PANEL);
  });

  it('uses the colours chosen with color-scheme="light" or "dark", whatever the page', async () => {
    document.documentElement.style.colorScheme = 'dark';
    expect(panelBackground(await mount(waiting, 'light'))).to.equal(LIGHT_PANEL);
    document.documentElement.style.colorScheme = 'light';
    expect(panelBackground(await mount(waiting, 'dark'))).to.equal(DARK_PANEL);
  });

  it('reflects the colour scheme as an attribute, set as a property too', async () => {
    const el = await mount(waiting);
    expect(el.getAttribute('color-scheme')).to.equal('page');
    el.colorScheme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('color-scheme')).to.equal('dark');
    expect(panelBackground(el)).to.equal(DARK_PANEL);
  });
});
