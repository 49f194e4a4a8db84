/**
 * One place per visitor per room, however many tabs are open. Tabs share the ticket through
 * storage; exactly one of them (the leader) talks to the server and the others mirror its
 * snapshots over a BroadcastChannel, so ten open tabs cost the origin what one does.
 *
 * Leadership comes from the Web Locks API where available: the browser itself hands the lock
 * to the next tab when the leader closes or crashes. Where Locks is missing, a lease in
 * localStorage plus heartbeats on the channel stand in: a leader that stops beating for
 * `leaseMs` is replaced, and two tabs that claimed together settle on the lower id.
 *
 * The parts: `lock-leadership.ts` (Web Locks), `storage-lease.ts` (the fallback lease) and
 * `tab-messages.ts` (what goes over the channel).
 */
import { systemClock } from './clock.js';
import type { Clock, TimerHandle } from './clock.js';
import { defaultLocks, requestLeadership } from './lock-leadership.js';
import type { LockHold } from './lock-leadership.js';
import { createStorageLease, defaultStorage } from './storage-lease.js';
import { defaultChannel, endpointHash, readMessage, tabChannelName } from './tab-messages.js';
import type { ChannelLike, TabCommand, TabMessage } from './tab-messages.js';
import type { StorageLike } from './ticket-store.js';
import type { QueueSnapshot } from './types.js';

export { endpointHash, tabChannelName } from './tab-messages.js';
export type { ChannelLike, TabCommand } from './tab-messages.js';

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
  const lease = createStorageLease({
    storage,
    key: `queue-gate:v1:leader:${options.room}:${endpointHash(options.endpoint)}`,
    id,
    clock,
    leaseMs,
  });

  let handlers: CoordinatorHandlers | null = null;
  let channel: ChannelLike | null = null;
  let leader = false;
  let running = false;
  let lastSnapshot: QueueSnapshot | null = null;
  let lockHold: LockHold | null = null;
  let tickTimer: TimerHandle | null = null;
  let lastHeartbeatAt = Number.NEGATIVE_INFINITY;

  const post = (message: TabMessage) =>
    channel?.postMessage({ ns: 'queue-gate', v: 1, ...message });

  const setLeader = (value: boolean) => {
    if (leader === value || !running) return;
    leader = value;
    handlers?.onLeadershipChange(value);
  };

  const closeChannel = () => {
    channel?.removeEventListener('message', onMessage);
    channel?.close();
    channel = null;
  };

  const leaseFree = () => lease.isFree();
  const claim = () => {
    lease.write();
    setLeader(true);
    post({ type: 'heartbeat', from: id });
  };
  const tick = () => {
    tickTimer = null;
    if (!running) return;
    if (leader) {
      lease.write();
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
        lockHold = requestLeadership(
          locks,
          name,
          () => running,
          () => setLeader(true),
          // Refused locks mean a partitioned or blocked storage: no tab shares this one's ticket,
          // so it leads alone and leaves the channel. A same-origin tab elsewhere (the page opened
          // in a tab of its own) holds another place and must not be shown this one's.
          () => {
            closeChannel();
            setLeader(true);
          },
        );
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
        lease.releaseIfOwned();
        post({ type: 'resign', from: id });
      }
      running = false;
      leader = false;
      lockHold?.release();
      lockHold = null;
      if (tickTimer !== null) clock.clearTimeout(tickTimer);
      tickTimer = null;
      closeChannel();
      handlers = null;
      lastSnapshot = null;
    },
  };
}
