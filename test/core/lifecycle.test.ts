import { expect } from '@open-wc/testing';
import { createDomLifecycle } from '../../src/core/lifecycle.js';

describe('lifecycle', () => {
  it('signals when the window comes back online, until unsubscribed', () => {
    const target = new EventTarget();
    let signals = 0;
    const unsubscribe = createDomLifecycle({ window: target }).subscribe(() => signals++);
    target.dispatchEvent(new Event('online'));
    target.dispatchEvent(new Event('offline'));
    expect(signals).to.equal(1);
    unsubscribe();
    target.dispatchEvent(new Event('online'));
    expect(signals).to.equal(1);
  });

  it('signals when the page becomes visible, not when it is hidden', () => {
    let visibilityState: DocumentVisibilityState = 'hidden';
    const fakeDocument = new EventTarget() as unknown as Document;
    Object.defineProperty(fakeDocument, 'visibilityState', { get: () => visibilityState });
    let signals = 0;
    createDomLifecycle({ document: fakeDocument }).subscribe(() => signals++);
    fakeDocument.dispatchEvent(new Event('visibilitychange'));
    expect(signals).to.equal(0);
    visibilityState = 'visible';
    fakeDocument.dispatchEvent(new Event('visibilitychange'));
    expect(signals).to.equal(1);
  });
});
