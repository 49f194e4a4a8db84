/**
 * One place per visitor per room, however many tabs are open. Tabs share the ticket through
 * storage; exactly one of them (the leader) talks to the server and the others mirror its
 * snapshots over a BroadcastChannel, so ten open tabs cost the origin what one does.
 *
 * Leadership comes from the Web Locks API where available: the browser itself hands the lock
 * to the next tab when the leader closes or crashes. Where Locks is missing, a lease in
 * localStorage plus heartbeats on the channel stand in: a leader that stops beating for
 * `leaseMs` is replaced, and two tabs that claimed together settle on the lower id.
 */
import { systemClock } from './clock.js';
import type { Clock, TimerHandle } from './clock.js';
import type { StorageLike } from './ticket-store.js';
import type { QueueSnapshot } from './types.js';

/**
 * What a follower tab asks the leader to do for it. `resume` is sent when a follower comes back
 * into view: the leader may be a hidden tab whose timers the browser throttles. `complete` and
 * `complete-used` end the journey: the follower's page booked (or was told the place was
 * already used).
 */
export type TabCommand =
  'retry-now' | 'rejoin' | 'reclaim' | 'resume' | 'complete' | 'complete-used';

/** Callbacks from the coordinator to its engine. */
export interface CoordinatorHandlers {
  /** This tab became (true) or stopped being (false) the one that talks to the server. */
  onLeadershipChange(isLeader: boolean): void;
  /** A follower received the leader's snapshot. */
  onSnapshot(snapshot: QueueSnapshot): void;
  /** The leader received a follower's command. */
  onCommand(command: TabCommand): void;
}

/** Coordinates the tabs of one room. */
export interface TabCoordinator {
  start(handlers: CoordinatorHandlers): void;
  /** Leader only: shares a snapshot with the followers (and remembers it for late tabs). */
  publish(snapshot: QueueSnapshot): void;
  /** Follower only: asks the leader to act. */
  send(command: TabCommand): void;
  /** Leaves the election; a leader hands over at once. */
  stop(): void;
  readonly isLeader: boolean;
}

/** The part of BroadcastChannel the coordinator uses. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** Options of {@link createTabCoordinator}. */
export interface TabCoordinatorOptions {
  room: string;
  endpoint: string;
  /** Web Locks; defaults to `navigator.locks`. `null` forces the lease fallback. */
  locks?: LockManager | null;
  /** Opens the channel; defaults to `BroadcastChannel`. `null` (or none available): every tab leads. */
  createChannel?: ((name: string) => ChannelLike) | null;
  /** Where the fallback lease lives; defaults to `localStorage`. */
  storage?: StorageLike | null;
  clock?: Clock;
  /** Fallback only: how often the leader beats (default 1000 ms). */
  heartbeatMs?: number;
  /** Fallback only: silence after which a leader is replaced (default 3500 ms). */
  leaseMs?: number;
  /** This tab's id (default random). Lower ids win a contested fallback election. */
  id?: string;
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

type Message =
  | { type: 'hello'; from: string }
  | { type: 'snapshot'; from: string; snapshot: QueueSnapshot }
  | { type: 'command'; from: string; command: TabCommand }
  | { type: 'heartbeat'; from: string }
  | { type: 'resign'; from: string };

const COMMANDS: readonly string[] = [
  'retry-now',
  'rejoin',
  'reclaim',
  'resume',
  'complete',
  'complete-used',
];

function readMessage(data: unknown): Message | null {
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

function defaultLocks(): LockManager | null {
  return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null;
}

function defaultChannel(): ((name: string) => ChannelLike) | null {
  return typeof BroadcastChannel === 'undefined' ? null : (name) => new BroadcastChannel(name);
}

function defaultStorage(): StorageLike | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * Creates the coordinator of one room's tabs.
 *
 * @example
 * ```ts
 * const coordinator = createTabCoordinator({ room: 'concert', endpoint: 'https://queue.example.com' });
 * const engine = createQueueEngine({ room: 'concert', endpoint: 'https://queue.example.com', coordinator });
 * ```
 */
export function createTabCoordinator(options: TabCoordinatorOptions): TabCoordinator {
  const clock = options.clock ?? systemClock;
  const locks = options.locks === undefined ? defaultLocks() : options.locks;
  const openChannel =
    options.createChannel === undefined ? defaultChannel() : options.createChannel;
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  const heartbeatMs = options.heartbeatMs ?? 1000;
  const leaseMs = options.leaseMs ?? 3500;
  const id = options.id ?? Math.random().toString(36).slice(2) + clock.now().toString(36);
  const name = tabChannelName(options.room, options.endpoint);
  const leaseKey = `queue-gate:v1:leader:${options.room}:${endpointHash(options.endpoint)}`;

  let handlers: CoordinatorHandlers | null = null;
  let channel: ChannelLike | null = null;
  let leader = false;
  let running = false;
  let lastSnapshot: QueueSnapshot | null = null;
  let releaseLock: (() => void) | null = null;
  let lockRequest: AbortController | null = null;
  let tickTimer: TimerHandle | null = null;
  let lastHeartbeatAt = Number.NEGATIVE_INFINITY;

  const post = (message: Message) => channel?.postMessage({ ns: 'queue-gate', v: 1, ...message });

  const setLeader = (value: boolean) => {
    if (leader === value || !running) return;
    leader = value;
    handlers?.onLeadershipChange(value);
  };

  const readLease = (): { id: string; expiresAt: number } | null => {
    try {
      const value: unknown = JSON.parse(storage?.getItem(leaseKey) ?? 'null');
      if (typeof value !== 'object' || value === null) return null;
      const lease = value as Record<string, unknown>;
      return typeof lease.id === 'string' && typeof lease.expiresAt === 'number'
        ? { id: lease.id, expiresAt: lease.expiresAt }
        : null;
    } catch {
      return null;
    }
  };
  const writeLease = () => {
    try {
      storage?.setItem(leaseKey, JSON.stringify({ id, expiresAt: clock.now() + leaseMs }));
    } catch {
      // A full or blocked storage leaves the heartbeats alone to hold the lease.
    }
  };
  const leaseFree = () => {
    const lease = readLease();
    return !lease || lease.id === id || lease.expiresAt <= clock.now();
  };
  const claim = () => {
    writeLease();
    setLeader(true);
    post({ type: 'heartbeat', from: id });
  };
  const tick = () => {
    tickTimer = null;
    if (!running) return;
    if (leader) {
      writeLease();
      post({ type: 'heartbeat', from: id });
    } else if (clock.now() - lastHeartbeatAt >= leaseMs && leaseFree()) {
      claim();
    }
    tickTimer = clock.setTimeout(tick, heartbeatMs);
  };

  const onMessage = (event: MessageEvent) => {
    const message = readMessage(event.data);
    if (!message || message.from === id || !handlers) return;
    switch (message.type) {
      case 'hello':
        if (leader && lastSnapshot) post({ type: 'snapshot', from: id, snapshot: lastSnapshot });
        break;
      case 'snapshot':
        if (!leader) handlers.onSnapshot(message.snapshot);
        break;
      case 'command':
        if (leader) handlers.onCommand(message.command);
        break;
      case 'heartbeat':
        lastHeartbeatAt = clock.now();
        // Two tabs claimed the lease together: the higher id yields, so one remains.
        if (leader && !locks && message.from < id) setLeader(false);
        break;
      case 'resign':
        lastHeartbeatAt = Number.NEGATIVE_INFINITY;
        if (!leader && !locks && leaseFree()) claim();
        break;
    }
  };

  const electWithLocks = (lockManager: LockManager) => {
    lockRequest = new AbortController();
    lockManager
      .request(name, { mode: 'exclusive', signal: lockRequest.signal }, () => {
        if (!running) return Promise.resolve();
        return new Promise<void>((resolve) => {
          releaseLock = resolve;
          setLeader(true);
        });
      })
      .catch(() => {
        // Aborted before it was granted: this tab stopped while following.
      });
  };

  return {
    get isLeader() {
      return leader;
    },
    start(nextHandlers) {
      if (running) return;
      running = true;
      handlers = nextHandlers;
      channel = openChannel ? openChannel(name) : null;
      if (!channel) {
        // Without a channel no tab could mirror another, so each leads (the shared ticket still
        // keeps them in one place).
        setLeader(true);
        return;
      }
      channel.addEventListener('message', onMessage);
      post({ type: 'hello', from: id });
      if (locks) {
        electWithLocks(locks);
      } else {
        if (leaseFree()) claim();
        else lastHeartbeatAt = clock.now();
        tickTimer = clock.setTimeout(tick, heartbeatMs);
      }
    },
    publish(snapshot) {
      lastSnapshot = snapshot;
      if (leader) post({ type: 'snapshot', from: id, snapshot });
    },
    send(command) {
      post({ type: 'command', from: id, command });
    },
    stop() {
      if (!running) return;
      if (leader && !locks) {
        if (readLease()?.id === id) {
          try {
            storage?.removeItem(leaseKey);
          } catch {
            // Nothing to clean where storage is blocked.
          }
        }
        post({ type: 'resign', from: id });
      }
      running = false;
      leader = false;
      lockRequest?.abort();
      lockRequest = null;
      releaseLock?.();
      releaseLock = null;
      if (tickTimer !== null) clock.clearTimeout(tickTimer);
      tickTimer = null;
      channel?.removeEventListener('message', onMessage);
      channel?.close();
      channel = null;
      handlers = null;
      lastSnapshot = null;
    },
  };
}
