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
  it('states the estimate as a range people can use, in both languages', async () => {
    await loadTranslation('ko');
    const now = new Date(2026, 10, 23, 12, 0).getTime();
    const cases: [number | null, number | null, string, string][] = [
      [null, null, 'Estimate not yet known', '아직 예상 시간을 알 수 없습니다'],
      [10_000, 40_000, 'Less than a minute', '1분 이내'],
      [45_000, 90_000, 'Less than 2 min', '2분 이내'],
      [2.2 * MIN, 3.9 * MIN, 'About 2–4 min', '약 2~4분'],
      [45 * MIN, 90 * MIN, 'About 45–90 min', '약 45~90분'],
      [150 * MIN, 200 * MIN, 'About 2–4 hours', '약 2~4시간'],
      // 13–26 hours: expected around 6:30 the next morning, not "more than a day".
      [
        13 * 60 * MIN,
        26 * 60 * MIN,
        'About 13–26 hours, around Nov 24, 6:30 AM',
        '약 13~26시간 (11월 24일 오전 6:30쯤)',
      ],
    ];
    for (const [minMs, maxMs, english, korean] of cases) {
      const said = [createLocalizer('en'), createLocalizer('ko')].map((l) =>
        l.estimate({ minMs, maxMs }, now).replace(/\s/gu, ' '),
      );
      expect(said).to.deep.equal([english, korean]);
    }
  });

  it('adds the date to a time that is not on the same day', () => {
    const l = createLocalizer('en');
    const now = new Date(2026, 10, 23, 12, 0).getTime();
    expect(l.time(new Date(2026, 10, 23, 21, 14).getTime(), now)).to.equal('9:14\u00a0PM');
    expect(l.time(new Date(2026, 10, 24, 21, 14).getTime(), now)).to.equal(
      'Nov\u00a024, 9:14\u00a0PM',
    );
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
