/**
 * Model-based test of the queue: fast-check drives random sequences of joins, rejoins, polls,
 * admissions, bookings, admin advances, pauses, ticks, clock jumps and restarts (a new service
 * and app over the store reloaded from its persistence, as after a crash) against the
 * in-process app, and checks every answer against a small model of what must hold.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeJwt } from 'jose';
import { createQueueApp } from '../../src/server/app.js';
import { createQueueService } from '../../src/server/queue-service.js';
import type { QueueService } from '../../src/server/queue-service.js';
import { mergeRoomConfig } from '../../src/server/room-config.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import type { StorePersistence, StoreSnapshot } from '../../src/server/store/memory-store.js';
import { createTokenSigner } from '../../src/server/token-signer.js';
import type { LooseJson } from './helpers/test-server.js';

const ORIGIN = 'http://queue.test';
const ADMIN_TOKEN = 'model-admin-token-0123456789';
const ROOM = 'm';
const ADMIT_PER_MINUTE = 3;
const HOLD_SECONDS = 120;
const MINUTE_MS = 60_000;

/** The system under test: the real service and app, rebuilt on restart over the same data. */
class Real {
  time = Date.UTC(2026, 0, 1, 9);
  service!: QueueService;
  private fetchApp!: (request: Request) => Response | Promise<Response>;
  private saved: StoreSnapshot | null = null;
  private readonly persistence: StorePersistence = {
    load: async () => (this.saved ? structuredClone(this.saved) : null),
    save: async (snapshot) => {
      this.saved = structuredClone(snapshot);
    },
  };

  async start(): Promise<void> {
    const now = () => this.time;
    const store = await MemoryStore.open({ persistence: this.persistence, seqBlockSize: 4 });
    const keys = await store.loadSigningKeys();
    const signer = await createTokenSigner({
      issuer: ORIGIN,
      now,
      ...(keys.length ? { keys } : {}),
    });
    if (keys.length === 0) await store.saveSigningKeys(signer.exportKeys());
    if (!(await store.getRoom(ROOM))) {
      await store.putRoomConfig(
        ROOM,
        mergeRoomConfig(null, { admitPerMinute: ADMIT_PER_MINUTE, holdSeconds: HOLD_SECONDS }),
        now(),
      );
    }
    this.service = createQueueService({ store, signer, publicOrigin: ORIGIN, now });
    const app = createQueueApp({
      service: this.service,
      adminToken: ADMIN_TOKEN,
      logError: () => {},
    });
    this.fetchApp = (request) => app.fetch(request);
  }

  async call(
    method: string,
    path: string,
    options: { body?: unknown; bearer?: string } = {},
  ): Promise<{ status: number; json: LooseJson }> {
    const headers: Record<string, string> = {};
    if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await this.fetchApp(
      new Request(`${ORIGIN}${path}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      }),
    );
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  }

  admin(method: string, path: string, body?: unknown) {
    return this.call(method, `/admin/rooms/${ROOM}${path}`, { bearer: ADMIN_TOKEN, body });
  }
}

interface Visitor {
  ticket: string;
  seq: number;
  sub: string;
}

interface Admission {
  token: string;
  jti: string;
  seq: number;
  expiresAt: number;
}

/** What the queue must be, as far as the answers so far tell. */
interface Model {
  visitors: Visitor[];
  admissions: Admission[];
  /** When each admission (by jti) was first handed out: the claims the rate counts. */
  claimedAt: Map<string, number>;
  booked: Set<string>;
  bookedSeqs: Set<number>;
  maxSeq: number;
  serving: number;
  paused: boolean;
}

type Cmd = fc.AsyncCommand<Model, Real>;

const pick = <T>(list: readonly T[], index: number): T => list[index % list.length]!;

const claimsInLastMinute = (model: Model, now: number): number =>
  [...model.claimedAt.values()].filter((at) => at > now - MINUTE_MS).length;

class Join implements Cmd {
  check = () => true;
  async run(model: Model, real: Real) {
    const answer = await real.call('POST', `/rooms/${ROOM}/join`, { body: {} });
    assert.equal(answer.status, 200);
    const { seq, ticket, serving } = answer.json;
    assert.ok(
      seq > model.maxSeq,
      `a new seq (${seq}) comes after every earlier one (${model.maxSeq})`,
    );
    assert.ok(serving >= model.serving, 'serving never goes back');
    model.maxSeq = seq;
    model.serving = serving;
    model.visitors.push({ ticket, seq, sub: decodeJwt(ticket).sub! });
  }
  toString = () => 'join';
}

class Rejoin implements Cmd {
  constructor(readonly index: number) {}
  check = (model: Readonly<Model>) => model.visitors.length > 0;
  async run(model: Model, real: Real) {
    const visitor = pick(model.visitors, this.index);
    const answer = await real.call('POST', `/rooms/${ROOM}/join`, {
      body: { ticket: visitor.ticket },
    });
    assert.equal(answer.status, 200);
    assert.equal(
      answer.json.seq,
      visitor.seq,
      "a rejoin (a reload) never changes the visitor's seq",
    );
    assert.ok(answer.json.serving >= model.serving, 'serving never goes back');
    model.serving = answer.json.serving;
  }
  toString = () => `rejoin(${this.index})`;
}

class Poll implements Cmd {
  check = () => true;
  async run(model: Model, real: Real) {
    const answer = await real.call('GET', `/rooms/${ROOM}/state`);
    assert.equal(answer.status, 200);
    assert.ok(answer.json.serving >= model.serving, 'serving never goes back');
    assert.ok(answer.json.issued >= model.maxSeq, 'issued covers every seq handed out');
    assert.equal(answer.json.status, model.paused ? 'paused' : 'open');
    model.serving = answer.json.serving;
  }
  toString = () => 'poll';
}

class Admit implements Cmd {
  constructor(readonly index: number) {}
  check = (model: Readonly<Model>) => model.visitors.length > 0;
  async run(model: Model, real: Real) {
    const visitor = pick(model.visitors, this.index);
    const answer = await real.call('POST', `/rooms/${ROOM}/admit`, { bearer: visitor.ticket });
    const code: string | undefined = answer.json?.error?.code;
    if (answer.status === 200) {
      assert.ok(
        visitor.seq <= model.serving,
        `an admission goes to seq ${visitor.seq} only once serving (${model.serving}) reached it`,
      );
      assert.ok(!model.bookedSeqs.has(visitor.seq), 'a place that booked gets no second admission');
      const claims = decodeJwt(answer.json.admission);
      assert.equal(claims.seq, visitor.seq, 'the admission carries the ticket seq');
      assert.equal(claims.sub, visitor.sub, 'and the same visitor');
      const jti = claims.jti!;
      if (!model.claimedAt.has(jti)) {
        model.claimedAt.set(jti, real.time);
        model.admissions.push({
          token: answer.json.admission,
          jti,
          seq: visitor.seq,
          expiresAt: answer.json.expiresAt,
        });
      }
    } else if (code === 'not_your_turn') {
      assert.ok(visitor.seq > model.serving, 'refused as not your turn only ahead of serving');
    } else if (code === 'admission_used') {
      assert.ok(model.bookedSeqs.has(visitor.seq), 'admission_used only after a booking');
    } else if (code === 'hold_expired') {
      assert.ok(visitor.seq <= model.serving, 'a hold expires only for a turn that came');
    } else {
      assert.fail(`unexpected answer to admit: ${answer.status} ${JSON.stringify(answer.json)}`);
    }
  }
  toString = () => `admit(${this.index})`;
}

class Book implements Cmd {
  constructor(readonly index: number) {}
  check = (model: Readonly<Model>) => model.admissions.length > 0;
  async run(model: Model, real: Real) {
    const admission = pick(model.admissions, this.index);
    const answer = await real.call('POST', `/demo/book?room=${ROOM}`, { bearer: admission.token });
    if (answer.status === 200) {
      assert.ok(!model.booked.has(admission.jti), 'every admission is usable once');
      assert.ok(real.time < admission.expiresAt + 10_000, 'and only while it lives');
      model.booked.add(admission.jti);
      model.bookedSeqs.add(admission.seq);
    } else if (answer.status === 409) {
      assert.equal(answer.json.error.code, 'admission_used');
      assert.ok(model.booked.has(admission.jti), 'admission_used only for a used admission');
    } else {
      assert.equal(answer.status, 401);
      assert.equal(answer.json.error.code, 'token_expired');
      assert.ok(real.time >= admission.expiresAt, 'refused as expired only once expired');
    }
  }
  toString = () => `book(${this.index})`;
}

class Advance implements Cmd {
  constructor(readonly by: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const answer = await real.admin('POST', '/advance', { by: this.by });
    assert.equal(answer.status, 200);
    assert.equal(
      answer.json.serving,
      model.serving + this.by,
      'an admin advance moves exactly by N',
    );
    model.serving = answer.json.serving;
  }
  toString = () => `advance(${this.by})`;
}

class SetPaused implements Cmd {
  constructor(readonly paused: boolean) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const answer = await real.admin('POST', this.paused ? '/pause' : '/resume');
    assert.equal(answer.status, 200);
    assert.equal(answer.json.status, this.paused ? 'paused' : 'open');
    model.paused = this.paused;
  }
  toString = () => (this.paused ? 'pause' : 'resume');
}

class Tick implements Cmd {
  check = () => true;
  async run(model: Model, real: Real) {
    await real.service.tick();
    const stats = (await real.admin('GET', '')).json;
    const after = stats.serving as number;
    const moved = after - model.serving;
    assert.ok(moved >= 0, 'serving never goes back');
    if (model.paused) assert.equal(moved, 0, 'a paused room does not move');
    if (moved > 0) {
      // Seqs reserved before a crash count as issued (and as walked away) after it.
      assert.ok(after <= stats.issued, 'admission control never runs past the last seq');
      const recent = claimsInLastMinute(model, real.time);
      assert.ok(
        recent + moved <= ADMIT_PER_MINUTE,
        `${recent} claims in the last minute plus ${moved} new turns stay within ${ADMIT_PER_MINUTE}`,
      );
    }
    model.serving = after;
  }
  toString = () => 'tick';
}

class Wait implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_model: Model, real: Real) {
    real.time += this.ms;
  }
  toString = () => `wait(${this.ms})`;
}

class Restart implements Cmd {
  check = () => true;
  async run(model: Model, real: Real) {
    await real.start();
    const stats = (await real.admin('GET', '')).json;
    assert.equal(stats.serving, model.serving, 'a restart keeps serving');
    assert.ok(stats.issued >= model.maxSeq, 'a restart never reissues a seq');
    assert.equal(stats.status, model.paused ? 'paused' : 'open');
  }
  toString = () => 'restart';
}

const commands = [
  fc.constant(new Join()),
  fc.nat(50).map((i) => new Rejoin(i)),
  fc.constant(new Poll()),
  fc.nat(50).map((i) => new Admit(i)),
  fc.nat(50).map((i) => new Book(i)),
  fc.integer({ min: 1, max: 5 }).map((by) => new Advance(by)),
  fc.boolean().map((paused) => new SetPaused(paused)),
  fc.constant(new Tick()),
  // Mostly short waits, so that many claims fall in one minute and the rate cap is tested;
  // some long ones, so that admissions expire and holds run out.
  fc
    .oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 5_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 5_000, max: 150_000 }) },
    )
    .map((ms) => new Wait(ms)),
  fc.constant(new Restart()),
];

describe('the queue as a model (fast-check commands)', () => {
  it('keeps seqs, turn order, the admission rate and single use through any sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 80, size: 'max' }), async (cmds) => {
        const real = new Real();
        await real.start();
        const model: Model = {
          visitors: [],
          admissions: [],
          claimedAt: new Map(),
          booked: new Set(),
          bookedSeqs: new Set(),
          maxSeq: 0,
          serving: 0,
          paused: false,
        };
        await fc.asyncModelRun(() => ({ model, real }), cmds);
      }),
      { numRuns: 400 },
    );
  });
});
