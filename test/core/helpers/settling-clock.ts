/**
 * A manual clock that lets each answer reach the engine before it moves time on.
 *
 * The manual clock lets two macrotasks pass after each timer: enough for in-memory work, not for
 * the simulator's WebCrypto signing on a loaded machine. With an answer still on its way, the
 * only timer pending is the request's timeout, or none: `advance` fired the timeout or jumped
 * straight to its end, and the engine's next poll came after the jump. A test counting requests
 * then saw too few (the flake CI met in the ticket-refresh test; delaying every answer by 40 ms
 * reproduces it). Waiting for the simulator alone is not enough either: the engine reads the
 * body and schedules its next timer some tasks later. So the engine's own fetch is tracked, from
 * the call until the engine has read the answer's body.
 */
import { createManualClock } from '../../../src/core/manual-clock.js';
import type { ManualClock } from '../../../src/core/manual-clock.js';

/**
 * Real time to wait for an answer before moving on anyway. Some answers wait on this very clock
 * (a simulated latency, a hang until the client's timeout), so the wait is bounded; an answer
 * signed on a loaded machine comes well within it.
 */
const ANSWER_LIMIT_MS = 300;

const realDelay = (ms: number) =>
  new Promise<void>((resolve) => globalThis.setTimeout(resolve, ms));

/** Counts the engine's requests until their answers are read. */
export interface AnswerTracker {
  /** `fetch` wrapped: a request counts until its body is read, it fails, or it is aborted. */
  track(fetch: typeof globalThis.fetch): typeof globalThis.fetch;
  /** Resolves once no tracked request is waiting for its answer to be read. */
  idle(): Promise<void>;
}

export function answerTracker(): AnswerTracker {
  let open = 0;
  let waiters: Array<() => void> = [];
  const close = () => {
    open -= 1;
    if (open > 0) return;
    const waiting = waiters;
    waiters = [];
    waiting.forEach((resolve) => resolve());
  };
  return {
    track: (inner) => async (input, init) => {
      open += 1;
      let closed = false;
      // A macrotask after the body is read: the engine has parsed it and dispatched by then.
      const closeOnce = () => {
        if (closed) return;
        closed = true;
        void realDelay(0).then(close);
      };
      init?.signal?.addEventListener('abort', closeOnce, { once: true });
      try {
        const response = await inner(input, init);
        const readText = response.text.bind(response);
        response.text = () => readText().finally(closeOnce);
        const readJson = response.json.bind(response);
        response.json = () => readJson().finally(closeOnce);
        return response;
      } catch (error) {
        closeOnce();
        throw error;
      }
    },
    idle: () =>
      open === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)),
  };
}

/**
 * @param idle - resolves once no request of the engine waits for its answer
 * @param start - the clock's start, epoch ms
 * @returns a manual clock whose `advance` and `runNext` wait for `idle` after each timer
 */
export function settlingClock(idle: () => Promise<void>, start?: number): ManualClock {
  const manual = createManualClock(start);
  const settled = () => Promise.race([idle(), realDelay(ANSWER_LIMIT_MS)]);
  return {
    ...manual,
    async advance(ms) {
      const target = manual.now() + ms;
      await settled();
      for (;;) {
        const soonest = manual.pendingDelays()[0];
        if (soonest === undefined || manual.now() + soonest > target) break;
        await manual.advance(Math.max(0, soonest));
        await settled();
      }
      await manual.advance(target - manual.now());
    },
    async runNext() {
      await settled();
      const ran = await manual.runNext();
      if (ran) await settled();
      return ran;
    },
  };
}
