import { expect } from '@open-wc/testing';
import { ENDPOINT, createHarness } from './helpers/engine-harness.js';

describe('a page whose endpoint gains or loses a trailing slash between loads', () => {
  let harness: ReturnType<typeof createHarness>;
  afterEach(() => harness?.stopAll());

  for (const [before, after] of [
    [ENDPOINT, `${ENDPOINT}/`],
    [`${ENDPOINT}/`, ENDPOINT],
  ]) {
    it(`keeps the place when "${before}" becomes "${after}" (the same server)`, async () => {
      harness = createHarness({ simulator: { issued: 10, serving: 0 } });
      const { engine, until, requestsTo } = harness;
      const first = engine({ endpoint: before });
      first.start();
      const joined = await until(first, (s) => s.status === 'waiting');
      first.stop();

      const reloaded = engine({ endpoint: after });
      reloaded.start();
      const again = await until(reloaded, (s) => s.status === 'waiting');
      expect(again.seq).to.equal(joined.seq);
      expect(requestsTo('join').map((join) => typeof join.ticket)).to.deep.equal([
        'undefined',
        'string',
      ]);
    });
  }
});
