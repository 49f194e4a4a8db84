/**
 * `import type {} from 'queue-gate/vue'`: types `<queue-gate>` in Vue 3 templates checked by
 * `vue-tsc` / Volar (as a global component with the element's properties and events). Vue's
 * compiler must still be told that `queue-gate` is a custom element
 * (`isCustomElement: (tag) => tag === 'queue-gate'`).
 *
 * @packageDocumentation
 */
import type { DefineComponent } from 'vue';
import type {
  QueueGateAttributes,
  QueueGateProperties,
  QueueGateVueListeners,
} from './element-props.js';

/** What `<queue-gate …>` accepts in a Vue template. */
export type QueueGateVueProps = QueueGateProperties & QueueGateAttributes & QueueGateVueListeners;

declare module 'vue' {
  interface GlobalComponents {
    'queue-gate': DefineComponent<QueueGateVueProps>;
  }
}
