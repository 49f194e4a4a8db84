import { expect } from '@open-wc/testing';
import { demoSearch, parseDemoUrl } from '../../demo/demo-url.js';
import { SCENARIO_NAMES } from '../../src/mocks/scenarios.js';

describe('demo URL state', () => {
  it('opens the normal scenario in English when the URL says nothing', () => {
    expect(parseDemoUrl('')).to.deep.equal({
      mode: 'mock',
      scenario: 'normal',
      lang: 'en',
      warning: null,
    });
  });

  it('reaches every shared scenario by its name, and writes the same link back', () => {
    for (const scenario of SCENARIO_NAMES) {
      const search = demoSearch({ mode: 'mock', scenario, lang: 'en' });
      expect(parseDemoUrl(search), scenario).to.deep.equal({
        mode: 'mock',
        scenario,
        lang: 'en',
        warning: null,
      });
    }
  });

  it('falls back to the normal scenario with a warning for an unknown name', () => {
    const state = parseDemoUrl('?scenario=party');
    expect(state.mode).to.equal('mock');
    expect(state.mode === 'mock' && state.scenario).to.equal('normal');
    expect(state.warning).to.contain('"party"');
  });

  it('selects live mode for a room, even when a scenario is named too', () => {
    expect(parseDemoUrl('?scenario=surge&room=concert-2026&lang=ko')).to.deep.equal({
      mode: 'live',
      room: 'concert-2026',
      lang: 'ko',
      warning: null,
    });
  });

  it('refuses a room id that is not safe in a path and shows the demo room instead', () => {
    const state = parseDemoUrl('?room=../admin');
    expect(state.mode === 'live' && state.room).to.equal('demo');
    expect(state.warning).to.contain('not a valid room id');
  });

  it('keeps Korean in links and leaves English, the default, out', () => {
    expect(demoSearch({ mode: 'live', room: 'demo', lang: 'ko' })).to.equal('?room=demo&lang=ko');
    expect(demoSearch({ mode: 'mock', scenario: 'rejected-expired', lang: 'en' })).to.equal(
      '?scenario=rejected-expired',
    );
    expect(parseDemoUrl('?lang=fr').lang).to.equal('en');
  });
});
