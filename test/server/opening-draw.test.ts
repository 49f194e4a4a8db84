import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { adminCall, admit, join, postJson, startTestServer } from './helpers/test-server.js';
import type { LooseJson, TestServer } from './helpers/test-server.js';

const run = promisify(execFile);
const SEED = 'a5'.repeat(32);
const fixedSeed = () => ({
  seed: SEED,
  commitment: createHash('sha256').update(Buffer.from(SEED, 'hex')).digest('hex'),
});

async function fairness(server: TestServer, room: string): Promise<LooseJson> {
  const response = await fetch(`${server.url}/rooms/${room}/fairness`);
  assert.equal(response.status, 200);
  return response.json();
}

/** Runs the independent recomputation script on a saved record, as a journalist would. */
async function verifyDraw(record: unknown, ...args: string[]): Promise<LooseJson> {
  const dir = await mkdtemp(joinPath(tmpdir(), 'qg-draw-'));
  try {
    const file = joinPath(dir, 'record.json');
    await writeFile(file, JSON.stringify(record));
    const { stdout } = await run(process.execPath, ['scripts/verify-draw.mjs', file, ...args]);
    return JSON.parse(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('scheduled opening with a committed pre-open draw', () => {
  let server: TestServer;
  let opensAt: number;
  const preTickets: string[] = [];

  before(async () => {
    server = await startTestServer({ rooms: {}, drawSeed: fixedSeed });
    opensAt = server.clock.now() + 30 * 60_000;
    const created = await adminCall(server, 'PUT', 'launch', { admitPerMinute: 0, opensAt });
    assert.equal(created.status, 201);
  });
  after(() => server.close());

  it('orders pre-open visitors by the revealed seed, behind nobody who came after opening', async () => {
    const before = await fairness(server, 'launch');
    assert.equal(before.draw.commitment, fixedSeed().commitment);
    assert.equal(before.draw.seed, null, 'the seed stays secret until the opening');
    assert.equal(before.draw.entrants, null);
    const committed: string = before.draw.commitment;

    for (let i = 0; i < 12; i += 1) {
      const answer = await join(server, 'launch');
      assert.equal(answer.status, 200);
      assert.equal(answer.json.pre, true);
      assert.equal(answer.json.seq, 0);
      assert.equal(answer.json.opensAt, opensAt);
      assert.ok(answer.json.pollAfterMs >= 1000);
      const claims = decodeJwt(answer.json.ticket);
      assert.equal(claims.pre, true);
      assert.equal(claims.seq, 0);
      preTickets.push(answer.json.ticket);
      // The last one arrives a second before the opening.
      server.clock.advance(i === 10 ? 30 * 60_000 - 11 * 60_000 - 1000 : 60_000);
    }
    const early = await admit(server, preTickets[0]!, 'launch');
    assert.equal(early.status, 409, 'a pre-open ticket has no turn before the draw');

    server.clock.advance(2000);
    // The first visitor after opening arrives before any tick or pre-open rejoin: still last.
    const late = await join(server, 'launch');
    assert.equal(late.status, 200);
    assert.equal(late.json.pre, undefined);
    assert.equal(late.json.seq, 13);

    const drawn = new Map<string, number>();
    for (const ticket of preTickets) {
      const answer = await join(server, 'launch', ticket);
      assert.equal(answer.status, 200);
      assert.equal(answer.json.pre, undefined);
      const sub = decodeJwt(ticket).sub!;
      assert.equal(decodeJwt(answer.json.ticket).sub, sub);
      drawn.set(sub, answer.json.seq);
      // Same pre-open ticket, and the ticket it was exchanged for, keep the same place.
      assert.equal((await join(server, 'launch', ticket)).json.seq, answer.json.seq);
      assert.equal((await join(server, 'launch', answer.json.ticket)).json.seq, answer.json.seq);
    }
    assert.deepEqual(
      [...drawn.values()].sort((a, b) => a - b),
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    const arrivalOrder = preTickets.map((ticket) => drawn.get(decodeJwt(ticket).sub!));
    assert.notDeepEqual(
      arrivalOrder,
      Array.from({ length: 12 }, (_, i) => i + 1),
    );

    const record = await fairness(server, 'launch');
    assert.equal(record.draw.seed, SEED);
    assert.equal(record.draw.commitment, committed);
    assert.equal(record.draw.base, 0);
    const checked = await verifyDraw(record, '--commitment', committed);
    assert.equal(checked.ok, true);
    assert.equal(checked.entrants, 12);
    for (const { sub, seq } of checked.order) assert.equal(drawn.get(sub), seq);
  });

  it('admits a pre-open ticket at its drawn place once serving reaches it, not before', async () => {
    const order = (await verifyDraw(await fairness(server, 'launch'))).order as Array<{
      sub: string;
      seq: number;
    }>;
    const ticketOf = (seq: number) =>
      preTickets.find((ticket) => decodeJwt(ticket).sub === order[seq - 1]!.sub)!;
    const advanced = await adminCall(server, 'POST', 'launch/advance', { by: 3 });
    assert.equal(advanced.status, 200);
    const third = await admit(server, ticketOf(3), 'launch');
    assert.equal(third.status, 200);
    assert.equal(decodeJwt(third.json.admission).seq, 3);
    assert.equal(decodeJwt(third.json.admission).sub, order[2]!.sub);
    const fourth = await admit(server, ticketOf(4), 'launch');
    assert.equal(fourth.status, 409);
    assert.equal(fourth.json.error.code, 'not_your_turn');
  });

  it('the script refuses a record whose seed does not match the commitment', async () => {
    const record = await fairness(server, 'launch');
    const forged = { ...record, draw: { ...record.draw, seed: 'b6'.repeat(32) } };
    await assert.rejects(verifyDraw(forged), (error: { code?: number; stdout?: string }) => {
      assert.equal(error.code, 1);
      assert.match(String(error.stdout), /differs from the published commitment/);
      return true;
    });
  });
});

describe('the draw runs at opening without anyone joining', () => {
  it('a tick after opensAt runs it, and later joins come after it', async () => {
    const server = await startTestServer({ rooms: {} });
    try {
      const opensAt = server.clock.now() + 60_000;
      await adminCall(server, 'PUT', 'quiet', { admitPerMinute: 0, opensAt });
      await join(server, 'quiet');
      await join(server, 'quiet');
      server.clock.advance(61_000);
      await server.service.tick();
      const record = await fairness(server, 'quiet');
      assert.equal(record.draw.drawnAt, opensAt + 1000);
      assert.equal(record.draw.entrants.length, 2);
      assert.equal((await join(server, 'quiet')).json.seq, 3);
      const check = await verifyDraw(record);
      assert.equal(check.ok, true);
    } finally {
      await server.close();
    }
  });

  it('a room without a scheduled opening hands out ordinary seqs and publishes no draw', async () => {
    const server = await startTestServer({ rooms: { plain: { admitPerMinute: 0 } } });
    try {
      const bad = await postJson(`${server.url}/rooms/plain/join`, { cohort: 7 });
      assert.equal(bad.status, 400);
      const answer = await join(server, 'plain');
      assert.equal(answer.json.seq, 1);
      assert.equal(answer.json.pre, undefined);
      const record = await fairness(server, 'plain');
      assert.equal(record.draw, null);
    } finally {
      await server.close();
    }
  });
});
