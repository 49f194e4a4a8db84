/**
 * The ticker's work: admission control for every room (run by one process, the lease holder),
 * or only re-measuring the rates from the shared history (every other process).
 */
import { admissionControl } from '../admission-control.js';
import type { AdmissionControlDecision } from '../admission-control.js';
import type { ServiceContext } from './context.js';

/** Runs admission control once for every room; returns each room's decision. */
export async function tick(
  context: ServiceContext,
): Promise<Map<string, AdmissionControlDecision>> {
  const { store, gate, paces, now, claimGraceMs } = context;
  const decisions = new Map<string, AdmissionControlDecision>();
  for (const record of await store.listRooms()) {
    const at = now();
    // The draw runs at opening even when nobody joins or claims then.
    if (record.config.opensAt !== null && at >= record.config.opensAt) {
      await gate.settle(record, at);
    }
    const activity = await store.getActivity(record.room, at);
    const decision = admissionControl({
      now: at,
      config: record.config,
      status: record.status,
      serving: record.serving,
      // While the draw waits for its beacon value, its seqs have no visitor yet: none is called.
      issued: Math.min(record.issued, gate.heldBelow(record.room) ?? record.issued),
      claims: activity.claims,
      advances: activity.advances,
      claimGraceMs,
      pace: paces.get(record.room) ?? null,
    });
    paces.set(record.room, decision.pace);
    decisions.set(record.room, decision);
    const moved =
      decision.advanceBy > 0
        ? ((await store.advanceServing(record.room, decision.serving, at)) ?? record)
        : record;
    await context.refreshRate(moved, at);
  }
  return decisions;
}

/** Re-measures every room's rate without moving anything. */
export async function refreshRates(context: ServiceContext): Promise<void> {
  for (const record of await context.store.listRooms()) {
    await context.refreshRate(record, context.now());
  }
}
