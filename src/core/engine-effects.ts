/**
 * Carries out the queue machine's effects for the engine: requests through the transport (one
 * at a time; an overtaken answer is dropped; a join asks the page for the visitor's identity
 * first when the machine says so), timers, and the ticket, witness and booked
 * stores. The engine feeds back what comes of them as machine events.
 */
import type { TimerHandle } from './clock.js';
import type { EngineParts } from './engine-parts.js';
import type { JoinResponse } from '../protocol.js';
import { discardsTicket } from './errors.js';
import type { TransportFailure, TransportResult } from './errors.js';
import { askIdentity } from './identity-assertion.js';
import type { MachineEffect, MachineEvent, MachineState, TimerKind } from './queue-machine.js';
import { ticketRecordOf } from './queue-snapshot.js';
import { fallbackTicket } from './trusted-ticket.js';

const NO_IDENTITY: TransportFailure = {
  kind: 'no-identity',
  message: 'Not signed in.',
};

/** A machine event before the engine stamps it with the time and a random draw. */
export type EngineEvent = DistributiveOmit<MachineEvent, 'at' | 'random'>;

/** What the effect runner needs from the engine. */
export interface EffectHost {
  parts: Pick<
    EngineParts,
    'clock' | 'transport' | 'store' | 'witness' | 'booked' | 'identity' | 'requestTimeoutMs'
  >;
  /** The machine's state after the transition that asked for the effects. */
  machine(): MachineState;
  /** Feeds an outcome back into the machine. */
  dispatch(event: EngineEvent): void;
}

/** Runs effects and can cancel what is pending. */
export interface EffectRunner {
  run(effect: MachineEffect): void;
  /** Aborts the request in flight and clears every timer. */
  cancelAll(): void;
}

/**
 * Creates the effect runner of one engine.
 *
 * @example
 * ```ts
 * const effects = createEffectRunner({ parts, machine: () => machine, dispatch });
 * for (const effect of result.effects) effects.run(effect);
 * ```
 */
export function createEffectRunner(host: EffectHost): EffectRunner {
  const { clock, transport, store, witness, booked } = host.parts;
  const { identity: provider, requestTimeoutMs: timeoutMs } = host.parts;
  const dispatch = (event: EngineEvent) => host.dispatch(event);
  // The ticket of the last join answer: only what the server handed out becomes the witness.
  let serverTicket: string | null = null;
  let request: AbortController | null = null;
  const timers = new Map<TimerKind, TimerHandle>();

  const clearTimer = (kind: TimerKind) => {
    const handle = timers.get(kind);
    if (handle !== undefined) clock.clearTimeout(handle);
    timers.delete(kind);
  };

  const perform = <T>(
    kind: 'join' | 'state' | 'admit',
    call: (signal: AbortSignal) => Promise<TransportResult<T>>,
    onValue: (value: T) => EngineEvent,
    ticket: string | null = null,
  ) => {
    const controller = new AbortController();
    request = controller;
    void call(controller.signal).then((result) => {
      // A request overtaken by stop(), rejoin() or reclaim() must not touch the new state.
      if (controller.signal.aborted || request !== controller) return;
      request = null;
      const fallback =
        !result.ok && ticket !== null && discardsTicket(result.failure)
          ? fallbackTicket(ticket, witness.load())
          : null;
      if (fallback) return dispatch({ type: 'restore', stored: fallback });
      dispatch(
        result.ok
          ? onValue(result.value)
          : { type: 'request-failed', request: kind, failure: result.failure },
      );
    });
  };

  function run(effect: MachineEffect): void {
    switch (effect.type) {
      case 'join':
        perform(
          'join',
          async (signal): Promise<TransportResult<JoinResponse>> => {
            const identity = effect.identity
              ? await askIdentity(provider, { clock, timeoutMs, signal })
              : null;
            // Without one, a join that needs it would only be refused: it is not sent.
            if (identity === null && effect.identity === 'require') {
              return { ok: false, failure: NO_IDENTITY };
            }
            return transport.join(effect.ticket, { signal, ...(identity ? { identity } : {}) });
          },
          (response) => {
            serverTicket = response.ticket;
            return { type: 'joined', response };
          },
          effect.ticket,
        );
        break;
      case 'poll-state':
        perform(
          'state',
          (signal) => transport.state({ signal }),
          (response) => ({ type: 'state-received', response }),
        );
        break;
      case 'admit':
        perform(
          'admit',
          (signal) => transport.admit(effect.ticket, { signal }),
          (response) => ({ type: 'admission-received', response }),
          effect.ticket,
        );
        break;
      case 'schedule':
        // `poll` and `retry` both lead to the next request: there is only ever one of them.
        if (effect.kind !== 'admission-expiry') {
          clearTimer('poll');
          clearTimer('retry');
        } else {
          clearTimer(effect.kind);
        }
        timers.set(
          effect.kind,
          clock.setTimeout(() => {
            timers.delete(effect.kind);
            dispatch({ type: 'timer', kind: effect.kind });
          }, effect.delayMs),
        );
        break;
      case 'cancel':
        effect.kinds.forEach(clearTimer);
        break;
      case 'abort':
        request?.abort();
        request = null;
        break;
      case 'persist': {
        const record = ticketRecordOf(host.machine());
        if (record) {
          store.save(record);
          if (host.machine().ticket === serverTicket) witness.save(record);
        }
        break;
      }
      case 'discard-ticket':
        // Also a finished journey's marker: a visitor who asked to join again gets a new place.
        store.clear();
        witness.clear();
        booked.clear();
        serverTicket = null;
        break;
      case 'mark-booked':
        store.clear();
        witness.clear();
        serverTicket = null;
        booked.save(effect.record);
        break;
    }
  }

  return {
    run,
    cancelAll() {
      request?.abort();
      request = null;
      [...timers.keys()].forEach(clearTimer);
    },
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
