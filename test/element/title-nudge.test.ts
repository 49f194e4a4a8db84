import { expect } from '@open-wc/testing';
import { TitleNudge } from '../../src/element/title-nudge.js';

function page(title: string, icon: string | null): Document {
  const doc = document.implementation.createHTMLDocument(title);
  if (icon !== null) {
    const link = doc.createElement('link');
    link.rel = 'icon';
    link.setAttribute('href', icon);
    doc.head.append(link);
  }
  return doc;
}

describe('TitleNudge', () => {
  it('changes the title and favicon in a background tab and restores them when shown', () => {
    const doc = page('Concert tickets', '/favicon.ico');
    let hidden = true;
    const nudge = new TitleNudge({ document: doc, isHidden: () => hidden });
    nudge.turnArrived('It’s your turn!', 'Go back', false);
    expect(doc.title).to.equal('(!) It’s your turn! Concert tickets');
    const icon = doc.querySelector('link[rel="icon"]')!.getAttribute('href')!;
    expect(icon.startsWith('data:image/svg+xml,')).to.equal(true);

    hidden = false;
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(doc.title).to.equal('Concert tickets');
    expect(doc.querySelector('link[rel="icon"]')!.getAttribute('href')).to.equal('/favicon.ico');
    expect(nudge.active).to.equal(false);
  });

  it('leaves a visible page alone', () => {
    const doc = page('Concert tickets', null);
    const nudge = new TitleNudge({ document: doc, isHidden: () => false });
    nudge.turnArrived('It’s your turn!', 'Go back', true);
    expect(doc.title).to.equal('Concert tickets');
    expect(doc.querySelectorAll('link[rel="icon"]').length).to.equal(0);
  });

  it('notifies and plays a tone only when the site opted in', () => {
    const calls: string[] = [];
    const options = {
      isHidden: () => true,
      showNotification: (title: string, body: string) => calls.push(`notify:${title}:${body}`),
      playSound: () => calls.push('sound'),
    };
    new TitleNudge({ ...options, document: page('A', null) }).turnArrived('Turn', 'Body', false);
    expect(calls).to.deep.equal([]);
    const doc = page('B', null);
    const nudge = new TitleNudge({ ...options, document: doc });
    nudge.turnArrived('Turn', 'Body', true);
    expect(calls).to.deep.equal(['notify:Turn:Body', 'sound']);
    nudge.restore();
    expect(doc.querySelectorAll('link[rel="icon"]').length).to.equal(0);
  });
});
