/** The demo page in a browser test: its own markup and styles, and the context its modes take. */
import { oneEvent } from '@open-wc/testing';
import { createEventLog } from '../../demo/event-log.js';
import type { ModeContext } from '../../demo/demo-mode.js';

/**
 * Puts the demo page's body (stage, panels, log) into this document, with its stylesheet, so a
 * test drives the real page and its real layout.
 *
 * @returns the element holding the page's body
 */
export async function loadDemoPage(): Promise<HTMLElement> {
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = '/demo/demo.css';
  const styled = oneEvent(style, 'load');
  document.head.append(style);
  await styled;
  const text = await (await fetch('/demo/index.html')).text();
  const parsed = new DOMParser().parseFromString(text, 'text/html');
  const root = document.createElement('div');
  root.append(...parsed.body.children);
  document.body.append(root);
  return root;
}

/** The context a demo mode starts with, from the page `loadDemoPage` put in. */
export function demoModeContext(root: HTMLElement, lang: ModeContext['lang'] = 'en'): ModeContext {
  return {
    doc: document,
    stage: root.querySelector<HTMLElement>('#gate-host')!,
    caption: root.querySelector<HTMLElement>('#stage-caption')!,
    log: createEventLog(root.querySelector<HTMLElement>('#log-list')!),
    lang,
  };
}
