/** Why `queue-gate/mocks` could not load in Node; kept apart so tests can read it without loading MSW. */
export const MSW_MISSING =
  "queue-gate/mocks needs MSW 2.x beside it, and 'msw' is not installed. " +
  'Install it with `npm install --save-dev msw` (an optional peer dependency: only the mocks ' +
  'use it).';
