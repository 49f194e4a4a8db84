/**
 * QA audit: mock mode on a phone (390 px). The visitor's screen sits above the scenario list
 * there; found: a scenario clicked further down changed the screen out of view, so the click
 * seemed to do nothing. The page now brings the visitor's screen into view.
 */
import { expect } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../src/index.js';
import { startMockMode } from '../../demo/mock-mode.js';
import { demoModeContext, loadDemoPage } from './demo-page.js';

describe('QA audit: mock mode on a 390 px screen', () => {
  let root: HTMLElement;

  before(async () => {
    await setViewport({ width: 390, height: 800 });
    root = await loadDemoPage();
    await startMockMode(demoModeContext(root), 'normal');
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
