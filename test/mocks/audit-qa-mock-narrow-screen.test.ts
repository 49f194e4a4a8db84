/**
 * QA audit: mock mode on a phone (390 px). The visitor's screen sits above the scenario list
 * there; found: a scenario clicked further down changed the screen out of view, so the click
 * seemed to do nothing. The page now brings the visitor's screen into view.
 */
import { expect, oneEvent } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../src/index.js';
import { createEventLog } from '../../demo/event-log.js';
import { startMockMode } from '../../demo/mock-mode.js';

/** The demo page (its styles and body), so the narrow layout is the real one. */
async function demoPage(): Promise<HTMLElement> {
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = '/demo/demo.css';
  const loaded = oneEvent(style, 'load');
  document.head.append(style);
  await loaded;
  const page = new DOMParser().parseFromString(
    await (await fetch('/demo/index.html')).text(),
    'text/html',
  );
  const root = document.createElement('div');
  root.append(...page.body.children);
  document.body.append(root);
  return root;
}

describe('QA audit: mock mode on a 390 px screen', () => {
  let root: HTMLElement;

  before(async () => {
    await setViewport({ width: 390, height: 800 });
    root = await demoPage();
    await startMockMode(
      {
        doc: document,
        stage: root.querySelector<HTMLElement>('#gate-host')!,
        caption: root.querySelector<HTMLElement>('#stage-caption')!,
        log: createEventLog(root.querySelector<HTMLElement>('#log-list')!),
        lang: 'en',
      },
      'normal',
    );
  });

  after(() => root.remove());

  for (const control of ['#scenario-list a[data-scenario="surge"]', '#mock-reset']) {
    it(`shows the visitor's screen after a click on ${control}`, () => {
      const target = root.querySelector<HTMLElement>(control)!;
      target.scrollIntoView({ block: 'start' });
      const stage = root.querySelector<HTMLElement>('#gate-host')!;
      expect(stage.getBoundingClientRect().bottom, 'scrolled away first').to.be.below(0);
      target.click();
      const top = stage.getBoundingClientRect().top;
      expect(top, 'the screen is in view').to.be.within(-1, window.innerHeight - 100);
    });
  }
});
