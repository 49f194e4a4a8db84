/**
 * The queue's behaviour, apart from HTTP: joining, the public state, claiming admission, the
 * admin operations and the ticker that runs admission control. The routes only translate.
 *
 * Each operation lives in its own file under `service/`; this file puts them together behind
 * {@link QueueService}, which keeps the store, the signer and the clock to itself.
 */
import { createServiceContext } from './service/context.js';
import type { ServiceContext } from './service/context.js';
import { admitPlace } from './service/admit.js';
import * as admin from './service/admin.js';
import { supplyBeacon } from './service/beacon.js';
import { bookPlace, verifyBookingAdmission } from './service/booking.js';
import { createFairnessReader } from './service/fairness.js';
import { joinRoomAs } from './service/join-identity.js';
import { createStateReader } from './service/state.js';
import { refreshRates, tick } from './service/ticker.js';
import type { QueueRoom, QueueService, QueueServiceOptions } from './service/types.js';
import type { RoomRecord } from './store/queue-store.js';

export { MAX_ADVANCE_BY } from './service/admin.js';
export { FAIRNESS_TTL_MS } from './service/fairness.js';
// The service's public types: everything `service/types.ts` declares.
export type * from './service/types.js';

/** The operations of one room as read once (see {@link QueueService.room}). */
function roomOf(context: ServiceContext, record: RoomRecord): QueueRoom {
  return {
    id: record.room,
    join: (ticket, cohort, identity) => joinRoomAs(context, record, { ticket, cohort, identity }),
    admit: (ticket) => admitPlace(context, record, ticket),
    verifyBookingAdmission: (token) => verifyBookingAdmission(context, record, token),
  };
}

/**
 * Creates the queue service.
 *
 * @example
 * ```ts
 * const service = createQueueService({ store, signer, publicOrigin: 'https://queue.example.com' });
 * setInterval(() => void service.tick(), 1000);
 * ```
 */
export function createQueueService(options: QueueServiceOptions): QueueService {
  const context = createServiceContext(options);
  const { store, signer, now } = context;
  const room = async (id: string): Promise<QueueRoom> =>
    roomOf(context, await context.requireRoom(id));
  return {
    room,
    join: async (id, ticket, cohort, identity) => (await room(id)).join(ticket, cohort, identity),
    state: createStateReader(context),
    admit: async (id, ticket) => (await room(id)).admit(ticket),
    fairness: createFairnessReader(context),
    allowedOrigins: async (id) => (await store.getRoom(id))?.config.allowedOrigins ?? null,
    tick: () => tick(context),
    refreshRates: () => refreshRates(context),
    putRoom: (id, body) => admin.putRoom(context, id, body),
    stats: async (id) => admin.statsOf(context, await context.requireRoom(id)),
    advance: (id, by) => admin.advance(context, id, by),
    setStatus: (id, status) => admin.setStatus(context, id, status),
    gauges: () => admin.gauges(context),
    counters: () => store.readCounters(),
    async countFailure(status, code, id) {
      await context.count(
        status >= 500 ? { name: 'errors', code } : { name: 'rejections', room: id, code },
      );
    },
    health: async () => ({ status: 'ok', rooms: (await store.listRooms()).length }),
    jwks: () => signer.jwks(),
    rotateKeys: () => admin.rotateKeys(context),
    supplyBeacon: (id, body) => supplyBeacon(context, id, body),
    book: (claims) => bookPlace(context, claims),
    singleUseStore: () => ({
      consume: (key, expiresAtMs) => store.consumeJti(key, expiresAtMs, now()),
    }),
  };
}
