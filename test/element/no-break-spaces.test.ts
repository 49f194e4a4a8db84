/**
 * The localizer keeps a number with its unit and a date in one piece (no-break spaces), so a
 * narrow line never ends between "4" and "s" or inside "12월 3일".
 */
import { expect } from '@open-wc/testing';
import { createLocalizer, loadTranslation } from '../../src/element/index.js';

const NBSP = '\u00a0';

describe('no-break spaces in sentences and times', () => {
  before(() => loadTranslation('ko'));

  it('keeps seconds and minutes with their number', () => {
    const { t } = createLocalizer('en');
    expect(t.updatedAgo(4, '4')).to.equal(`Updated 4${NBSP}s ago`);
    expect(t.retryingIn(4, '4')).to.equal(`Trying again in 4${NBSP}s.`);
  });

  it('leaves a translation override with a unit just as safe', () => {
    const { t } = createLocalizer('en', { retryingIn: (_s, n) => `Next try: ${n} sec` });
    expect(t.retryingIn(9, '9')).to.equal(`Next try: 9${NBSP}sec`);
  });

  it('keeps the date and the time each whole, and breakable between them', () => {
    const now = new Date(2026, 11, 2, 9, 0).getTime();
    const later = new Date(2026, 11, 3, 14, 5).getTime();
    const ko = createLocalizer('ko').time(later, now);
    expect(ko).to.match(new RegExp(`^12월${NBSP}3일 오후${NBSP}2:05$`));
    const en = createLocalizer('en').time(later, now);
    expect(en).to.match(new RegExp(`^Dec${NBSP}3, 2:05\\sPM$`));
  });
});
