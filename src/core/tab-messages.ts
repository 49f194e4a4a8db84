/**
 * What the tabs of one room say to each other over their BroadcastChannel: the leader's
 * snapshots, followers' commands, and (without Web Locks) heartbeats. Messages from another
 * version or another origin's code are ignored.
 */
import type { QueueSnapshot } from './types.js';

/**
 * What a follower tab asks the leader to do for it. `resume` is sent when a follower comes back
 * into view: the leader may be a hidden tab whose timers the browser throttles. `complete` and
 * `complete-used` end the journey: the follower's page booked (or was told the place was
 * already used). `identity-changed`: the visitor signed in or out in the follower's page.
 */
export type TabCommand =
  | 'retry-now'
  | 'rejoin'
  | 'reclaim'
  | 'recheck'
  | 'resume'
  | 'complete'
  | 'complete-used'
  | 'identity-changed';

/** The part of BroadcastChannel the coordinator uses. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** A short, stable hash of the endpoint so that two queue servers on one page never mix. */
export function endpointHash(endpoint: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < endpoint.length; i++) {
    hash ^= endpoint.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/** @returns the channel and lock name of a room: `queue-gate:v1:<room>:<endpoint hash>`. */
export function tabChannelName(room: string, endpoint: string): string {
  return `queue-gate:v1:${room}:${endpointHash(endpoint)}`;
}

/** A message between tabs, as read from the channel. */
export type TabMessage =
  | { type: 'hello'; from: string }
  | { type: 'snapshot'; from: string; snapshot: QueueSnapshot }
  | { type: 'command'; from: string; command: TabCommand }
  | { type: 'heartbeat'; from: string }
  | { type: 'resign'; from: string };

const COMMANDS: readonly string[] = [
  'retry-now',
  'rejoin',
  'reclaim',
  'recheck',
  'resume',
  'complete',
  'complete-used',
  'identity-changed',
];

/** The message in `data`, or null when it is not one of ours. */
export function readMessage(data: unknown): TabMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as Record<string, unknown>;
  if (m.ns !== 'queue-gate' || m.v !== 1 || typeof m.from !== 'string') return null;
  switch (m.type) {
    case 'hello':
    case 'heartbeat':
    case 'resign':
      return { type: m.type, from: m.from };
    case 'command':
      return typeof m.command === 'string' && COMMANDS.includes(m.command)
        ? { type: 'command', from: m.from, command: m.command as TabCommand }
        : null;
    case 'snapshot': {
      const s = m.snapshot as Record<string, unknown> | null;
      return typeof s === 'object' && s !== null && typeof s.status === 'string'
        ? { type: 'snapshot', from: m.from, snapshot: s as unknown as QueueSnapshot }
        : null;
    }
    default:
      return null;
  }
}

/** `BroadcastChannel` where the browser has it. */
export function defaultChannel(): ((name: string) => ChannelLike) | null {
  return typeof BroadcastChannel === 'undefined' ? null : (name) => new BroadcastChannel(name);
}
