/**
 * `queue-gate/mocks`: the reference queue server (the real app, service and an in-memory store)
 * running in the page or a Node test, with controls, scenarios and injected faults, for demos
 * and tests (the page's, the project's and users' own). Loads in browsers and Node alike;
 * `startMockWorker` pulls in `msw/browser` only when called. Requires `msw` 2.x. Mocks are never
 * for production: their signing key is made on the spot and thrown away.
 *
 * @packageDocumentation
 */
export {
  createQueueSimulator,
  type Fault,
  type QueueSimulator,
  type QueueSimulatorOptions,
  type QueueSimulatorSnapshot,
  type RejectTicketsOptions,
  type RecordedRequest,
} from './queue-simulator.js';
export { createHandlers, type CreateHandlersOptions } from './handlers.js';
export { startMockWorker, type StartMockWorkerOptions } from './browser.js';
export { SCENARIOS, SCENARIO_NAMES, type Scenario, type ScenarioName } from './scenarios.js';
export { decodeMockToken } from './mock-token.js';
