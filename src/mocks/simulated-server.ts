/**
 * The reference server itself, assembled for a simulator: the real Hono app over the real queue
 * service, an in-memory `MemoryStore` (nothing persisted) and a signer with a key made on the
 * spot. Runs wherever WebCrypto does (browsers, Node, edge runtimes).
 *
 * What this adds is only what a server process would do around the app: it runs the admission
 * ticker (`service.tick()`) once per simulated second, lazily before each request or control,
 * and it runs requests and controls one at a time, so a control given before a request is in
 * effect when that request is answered.
 */
import type { RoomStatus } from '../protocol.js';
import { createQueueApp } from '../server/app.js';
import { createQueueService, type QueueService } from '../server/queue-service.js';
import { MemoryStore } from '../server/store/memory-store.js';
import type { RoomConfig } from '../server/store/queue-store.js';
import { createTokenSigner, type TokenSigner } from '../server/token-signer.js';
import type { SimulatedClock } from './simulated-clock.js';

/** A room as the simulator sets it up (the subset of room settings a simulation needs). */
export interface SimulatedRoom {
  room: string;
  serving: number;
  issued: number;
  ratePerSec: number;
  pollAfterMs: number;
  status: RoomStatus;
  holdSeconds: number;
  opensAt?: number;
  audience: string;
  /** Admin-API room settings applied over the others (see `QueueSimulatorOptions.roomSettings`). */
  roomSettings?: Record<string, unknown>;
}

/** The parts of the running server, for controls. */
export interface ServerParts {
  service: QueueService;
  store: MemoryStore;
  signer: TokenSigner;
  room: string;
  /** The server's clock (the simulated one, or a tick's instant while catching up). */
  now(): number;
}

/** One simulated server; see {@link createSimulatedServer}. */
export interface SimulatedServer {
  /** Answers through the real app (after ticking up to the clock). */
  fetch(request: Request): Promise<Response>;
  /** Runs a control on the server, in turn with requests (after ticking up to the clock). */
  run<T>(control: (parts: ServerParts) => Promise<T>): Promise<T>;
}

/** Settings of {@link createSimulatedServer} fixed for the server's life. */
export interface SimulatedServerOptions {
  clock: SimulatedClock;
  issuer: string;
  ticketTtlSeconds: number;
  /** The admission lifetime now (a scenario may change it on a running server). */
  admissionTtlSeconds: () => number;
}

/** Admission control runs once per this much simulated time. */
const TICK_MS = 1000;
/** Most ticks one catch-up runs; a longer jump of the clock moves the line by this much at most. */
const MAX_CATCH_UP_TICKS = 3600;
/** Places already served at the start count as served this long ago (out of the measured rate). */
const SEEDED_AGO_MS = 61_000;

const clamp = (value: number, min: number, max: number): number =>
  Math.min(max, Math.max(min, Math.round(value)));

/** The room settings the real server stores for `room`. */
export function roomConfigOf(room: SimulatedRoom): Partial<RoomConfig> {
  return {
    ...lineConfigOf(room),
    ...(room.roomSettings as Partial<RoomConfig> | undefined),
  };
}

/** The settings the simulator's own options make. */
function lineConfigOf(room: SimulatedRoom): Partial<RoomConfig> {
  return {
    admitPerMinute: clamp(room.ratePerSec * 60, 0, 1_000_000),
    holdSeconds: clamp(room.holdSeconds, 10, 86_400),
    pollAfterMs: clamp(room.pollAfterMs, 1000, 60_000),
    audience: room.audience,
    // The mocks answer any page: their requests come from wherever the tests or the demo run.
    allowedOrigins: ['*'],
    opensAt: room.opensAt ?? null,
  };
}

/** Hands out seqs until `issued` reaches `to` (the store has no other way to grow the line). */
export async function issueUpTo(parts: ServerParts, to: number, at: number): Promise<void> {
  const record = await parts.store.getRoom(parts.room);
  for (let issued = record?.issued ?? 0; issued < Math.floor(to); issued += 1) {
    await parts.store.allocateSeq(parts.room, at);
  }
}

/**
 * Moves a new room's line to `room.serving` as if it had been moving at `ratePerSec` for the
 * last minute, so the rate the server measures (and reports) is the configured one from the
 * start, and the pacing credit of a fresh server (a burst of ten seconds' worth) is spent in a
 * first tick that lands exactly on `room.serving`.
 */
async function seedLine(parts: ServerParts, room: SimulatedRoom, at: number): Promise<void> {
  const { store, service } = parts;
  const perMinute = roomConfigOf(room).admitPerMinute ?? 0;
  const burst = perMinute > 0 ? Math.max(1, Math.ceil(perMinute / 6)) : 0;
  const ticksNow = burst > 0 && room.status === 'open' && room.opensAt === undefined;
  const target = Math.min(room.serving, room.issued);
  const seeded = ticksNow && target >= burst ? target - burst : target;
  const spread = Math.min(seeded, perMinute);
  const start = seeded - spread;
  if (start > 0) await store.advanceServing(room.room, start, at - SEEDED_AGO_MS);
  for (let second = 1; second <= 60 && spread > 0; second += 1) {
    const to = start + Math.round((spread * second) / 60);
    await store.advanceServing(room.room, to, at - SEEDED_AGO_MS + second * 1000);
  }
  if (seeded !== target) await service.tick();
}

/**
 * Starts the real server with one room.
 *
 * @param options - clock, issuer, token lifetimes
 * @param room - the room and its starting line
 */
export function createSimulatedServer(
  options: SimulatedServerOptions,
  room: SimulatedRoom,
): SimulatedServer {
  const { clock } = options;
  // While catching up, the server lives each tick's instant in turn.
  let tickAt: number | null = null;
  const now = (): number => tickAt ?? clock.now();
  let lastTick = clock.now();

  const start = async (): Promise<{
    parts: ServerParts;
    fetch: (r: Request) => Promise<Response>;
  }> => {
    const store = await MemoryStore.open();
    const signer = await createTokenSigner({
      issuer: options.issuer,
      now,
      ticketTtlSeconds: options.ticketTtlSeconds,
    });
    // The one thing a scenario changes on a running signer: how long admissions live.
    const simulatedSigner: TokenSigner = {
      ...signer,
      signAdmission: (input) =>
        signer.signAdmission({ ttlSeconds: options.admissionTtlSeconds(), ...input }),
    };
    const service = createQueueService({
      store,
      signer: simulatedSigner,
      publicOrigin: options.issuer,
      now,
    });
    const adminBytes = globalThis.crypto.getRandomValues(new Uint8Array(24));
    const adminToken = Array.from(adminBytes, (b) => b.toString(16).padStart(2, '0')).join('');
    const app = createQueueApp({ service, adminToken });
    const parts: ServerParts = { service, store, signer: simulatedSigner, room: room.room, now };
    const at = now();
    // The room is created before the history `seedLine` writes, as the store keeps it in order.
    tickAt = at - SEEDED_AGO_MS - TICK_MS;
    try {
      await service.putRoom(room.room, roomConfigOf(room));
    } finally {
      tickAt = null;
    }
    await issueUpTo(parts, room.issued, at);
    await seedLine(parts, room, at);
    if (room.status !== 'open') await service.setStatus(room.room, room.status);
    return { parts, fetch: (request) => Promise.resolve(app.fetch(request)) };
  };

  const started = start();
  let queue: Promise<unknown> = started;

  const catchUp = async (parts: ServerParts, target: number): Promise<void> => {
    if (target - lastTick < TICK_MS) return;
    lastTick = Math.max(lastTick, target - MAX_CATCH_UP_TICKS * TICK_MS);
    try {
      while (target - lastTick >= TICK_MS) {
        lastTick += TICK_MS;
        tickAt = lastTick;
        await parts.service.tick();
      }
    } finally {
      tickAt = null;
    }
  };

  const inTurn = <T>(work: (server: Awaited<typeof started>) => Promise<T>): Promise<T> => {
    // Admission control catches up to when the request or control came, not to when its turn
    // does: a pause given before the clock moved on stops the line from that moment.
    const at = clock.now();
    const result = queue.then(async () => {
      const server = await started;
      await catchUp(server.parts, at);
      return work(server);
    });
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    fetch: (request) => inTurn((server) => server.fetch(request)),
    run: (control) => inTurn((server) => control(server.parts)),
  };
}
