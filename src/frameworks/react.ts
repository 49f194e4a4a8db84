/**
 * `import type {} from 'queue-gate/react'` (once, e.g. next to `import 'queue-gate'`): types
 * `<queue-gate>` in React 19 TSX. React's JSX types do not read `HTMLElementTagNameMap`, so this
 * adds the element to `React.JSX.IntrinsicElements` with its properties, a typed `ref`, and its
 * events as React 19 listener props (`onqueue-gate-admitted`).
 *
 * @example
 * ```tsx
 * import 'queue-gate';
 * import type {} from 'queue-gate/react';
 * const ref = useRef<HTMLElementTagNameMap['queue-gate']>(null);
 * <queue-gate ref={ref} room="concert" onqueue-gate-admitted={(e) => console.log(e.admission)} />;
 * ```
 *
 * @packageDocumentation
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { QueueGateElement } from '../element/queue-gate-element.js';
import type {
  QueueGateAttributes,
  QueueGateProperties,
  QueueGateReactListeners,
} from './element-props.js';

/** What `<queue-gate …>` accepts in React TSX. */
export type QueueGateReactProps = DetailedHTMLProps<
  HTMLAttributes<QueueGateElement>,
  QueueGateElement
> &
  QueueGateProperties &
  QueueGateAttributes &
  QueueGateReactListeners;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's JSX types live in a namespace
  namespace JSX {
    interface IntrinsicElements {
      'queue-gate': QueueGateReactProps;
    }
  }
}
