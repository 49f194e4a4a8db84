/**
 * `queue-gate/mocks` as Node loads it. The same exports as `./index.ts`, loaded with a dynamic
 * import so that a project without MSW learns what to install instead of Node's bare "Cannot find
 * package 'msw'", which a static import raises before any of our code can run. Browsers and
 * bundlers take `./index.ts` directly: bundlers name a missing package themselves at build time,
 * and a top-level await there would fail bundler targets older than ES2022.
 *
 * @packageDocumentation
 */
import type * as Mocks from './index.js';
import { MSW_MISSING } from './msw-missing.js';

/** Whether `error` says `msw` itself is missing (not one of its own dependencies). */
function isMswMissing(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes("'msw'")
  );
}

async function loadMocks(): Promise<typeof Mocks> {
  try {
    return await import('./index.js');
  } catch (error) {
    throw isMswMissing(error) ? new Error(MSW_MISSING, { cause: error }) : error;
  }
}

const mocks = await loadMocks();

export const {
  createQueueSimulator,
  createHandlers,
  startMockWorker,
  SCENARIOS,
  SCENARIO_NAMES,
  decodeMockToken,
} = mocks;
export type * from './index.js';
