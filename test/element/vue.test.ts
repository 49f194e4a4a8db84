import { expect, fixtureSync, html } from '@open-wc/testing';
import { createApp, nextTick, reactive } from 'vue/dist/vue.esm-browser.js';
import '../../src/index.js';
import type { QueueGateElement } from '../../src/index.js';
import { FakeEngine, NOW } from './fake-engine.js';

describe('<queue-gate> in a Vue 3 app', () => {
  it('takes bound props and reports its events to Vue', async () => {
    const engines = new Map<string, FakeEngine>();
    const factory = ({ room }: { room: string }) => {
      const engine = new FakeEngine({ room });
      engines.set(room, engine);
      return engine;
    };
    const state = reactive({ room: 'first', statuses: [] as string[], admission: '' });
    const host = fixtureSync<HTMLDivElement>(html`<div></div>`);
    const app = createApp({
      setup: () => ({ state, factory, now: () => NOW }),
      template: `
        <queue-gate
          :room="state.room"
          endpoint="https://queue.test"
          lang="en"
          :engineFactory.prop="factory"
          :now.prop="now"
          @queue-gate-change="state.statuses.push($event.status)"
          @queue-gate-admitted="state.admission = $event.admission"
        >
          <form><label>Name <input name="name" /></label></form>
        </queue-gate>
        <p id="statuses">{{ state.statuses.join(' > ') }}</p>`,
    });
    app.config.compilerOptions.isCustomElement = (tag: string) => tag === 'queue-gate';
    app.mount(host);
    try {
      const gate = host.querySelector('queue-gate') as QueueGateElement;
      await gate.updateComplete;
      expect(gate.room).to.equal('first');
      engines.get('first')!.push({ status: 'waiting', seq: 3, position: 2 });
      engines.get('first')!.push({
        status: 'admitted',
        position: 0,
        admission: 'adm.vue.sig',
        admissionExpiresAt: NOW + 60_000,
      });
      await gate.updateComplete;
      await gate.updateComplete;
      await nextTick();
      expect(host.querySelector('#statuses')!.textContent).to.equal('waiting > admitted');
      expect(state.admission).to.equal('adm.vue.sig');
      expect(gate.querySelector<HTMLInputElement>('[name="queue_admission"]')!.value).to.equal(
        'adm.vue.sig',
      );

      state.room = 'second';
      await nextTick();
      await gate.updateComplete;
      expect(gate.room).to.equal('second');
      expect([...engines.keys()]).to.deep.equal(['first', 'second']);
      expect(engines.get('first')!.calls).to.deep.equal(['start', 'stop']);
    } finally {
      app.unmount();
    }
  });
});
