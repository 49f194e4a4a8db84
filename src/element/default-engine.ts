/**
 * The engine `<queue-gate>` uses unless one is injected: the core's own, speaking HTTP to the
 * element's `endpoint`.
 */
import { createQueueEngine } from '../core/index.js';
import type { IdentityProvider } from '../core/identity-assertion.js';
import type { QueueEngine } from '../core/types.js';

/** What the element passes to an engine factory. */
export interface EngineFactoryOptions {
  room: string;
  endpoint: string;
  /** The visitor's cohort (attribute `cohort`), for a room split into cohorts. */
  cohort?: string;
  /** The visitor's identity (see `QueueEngineOptions.identity`). */
  identity?: IdentityProvider;
}

/** Builds the engine for one room; injectable so tests and the demo can use a simulator. */
export type EngineFactory = (options: EngineFactoryOptions) => QueueEngine;

/** The default factory: the core engine with the page's storage, clock and network. */
export const createDefaultEngine: EngineFactory = (options) => createQueueEngine(options);
