import { expect } from '@open-wc/testing';
import {
  createLocalizer,
  en,
  loadTranslation,
  registerTranslation,
  resolveLanguage,
} from '../../src/element/index.js';

const MIN = 60_000;

describe('localize', () => {
  it('states the estimate honestly as a range, unknown, soon, hours or days', () => {
    const l = createLocalizer('en');
    expect(l.estimate({ minMs: null, maxMs: null })).to.equal('Estimate not yet known');
    expect(l.estimate({ minMs: 10_000, maxMs: 40_000 })).to.equal('Less than a minute');
    expect(l.estimate({ minMs: 12 * MIN, maxMs: 17.5 * MIN })).to.equal('About 12–18 min');
    expect(l.estimate({ minMs: 150 * MIN, maxMs: 200 * MIN })).to.equal('About 2–4 hours');
    expect(l.estimate({ minMs: 20 * 60 * MIN, maxMs: 30 * 60 * MIN })).to.equal('More than a day');
    expect(l.estimate({ minMs: 60 * 60 * MIN, maxMs: 84 * 60 * MIN })).to.equal(
      'More than a day: about 3 days',
    );
  });

  it('adds the date to a time that is not on the same day', () => {
    const l = createLocalizer('en');
    const now = new Date(2026, 10, 23, 12, 0).getTime();
    expect(l.time(new Date(2026, 10, 23, 21, 14).getTime(), now)).to.equal('9:14 PM');
    expect(l.time(new Date(2026, 10, 24, 21, 14).getTime(), now)).to.equal('Nov 24, 9:14 PM');
  });

  it('formats numbers for the language', async () => {
    // Korean is a chunk loaded on demand: until it is, the localizer speaks English.
    await loadTranslation('ko');
    expect(createLocalizer('en').number(1234567)).to.equal('1,234,567');
    expect(createLocalizer('de').number(1234567)).to.equal('1.234.567');
    expect(createLocalizer('ko').t.ahead(1234, createLocalizer('ko').number(1234))).to.equal(
      '1,234명',
    );
  });

  it('prefers the element, then ancestors, then the document, then the browser', () => {
    const outer = document.createElement('div');
    const inner = document.createElement('span');
    outer.append(inner);
    document.body.append(outer);
    const docLang = document.documentElement.lang;
    try {
      document.documentElement.lang = '';
      expect(resolveLanguage(inner, ['ko-KR', 'en'])).to.equal('ko-KR');
      expect(resolveLanguage(inner, ['fr', 'de'])).to.equal('en');
      outer.lang = 'en-GB';
      expect(resolveLanguage(inner, ['ko'])).to.equal('en-GB');
      inner.lang = 'ko';
      expect(resolveLanguage(inner, ['en'])).to.equal('ko');
      // A language without a translation falls through to the next candidate.
      inner.lang = 'xx';
      outer.lang = '';
      document.documentElement.lang = 'ko';
      expect(resolveLanguage(inner, ['en'])).to.equal('ko');
    } finally {
      document.documentElement.lang = docLang;
      outer.remove();
    }
  });

  it('adds a language with registerTranslation', () => {
    registerTranslation({ ...en, $code: 'de', waitingTitle: 'Sie sind in der Warteschlange' });
    const l = createLocalizer('de-AT');
    expect(l.t.waitingTitle).to.equal('Sie sind in der Warteschlange');
    expect(l.t.joining).to.equal(en.joining);
  });
});
