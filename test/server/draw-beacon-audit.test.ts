/**
 * The audit command on a draw bound to a beacon round, over real HTTP: it passes on an honest
 * opening (while the draw waits, and once ordered, with one's own ticket and the value read from
 * the beacon), and fails on a record whose beacon value or round was altered.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { decodeJwt } from 'jose';
import { drawnSeqs } from '../../src/server/opening-draw.js';
import {
  BEACON_SEED,
  BEACON_VALUE,
  OTHER_BEACON_VALUE,
  fairnessNow,
  openBeaconRoom,
  startBeaconServer,
  supplyBeacon,
} from './helpers/beacon-opening.js';
import { join } from './helpers/test-server.js';
import type { LooseJson, TestServer } from './helpers/test-server.js';
import { audit } from './helpers/run-audit.js';
import { serveCopy } from './helpers/tamper-server.js';

/** Audits a copy of `record` served as a dishonest server would serve it. */
async function auditCopy(record: LooseJson, jwks: LooseJson, ...extra: string[]) {
  const copy = await serveCopy('launch', record, jwks);
  try {
    return await audit(copy.url, 'launch', ...extra);
  } finally {
    await copy.close();
  }
}

describe('the audit of a draw bound to a beacon round', () => {
  let server: TestServer;
  let tickets: string[];
  let waiting: LooseJson;
  let ordered: LooseJson;
  let jwks: LooseJson;
  /** An ordinary ticket of an entrant whose seq another value, or none, would change. */
  let moved: string;

  before(async () => {
    server = await startBeaconServer();
    ({ tickets } = await openBeaconRoom(server, 'launch', 8, { admitPerMinute: 0 }));
    await join(server, 'launch'); // freezes the draw
    waiting = await fairnessNow(server, 'launch');
    const taken = await supplyBeacon(server, 'launch', { round: 1000, value: BEACON_VALUE });
    assert.equal(taken.status, 200);
    const subs: string[] = waiting.draw.entrants;
    const other = await drawnSeqs(BEACON_SEED, subs, 0, OTHER_BEACON_VALUE);
    const seedOnly = await drawnSeqs(BEACON_SEED, subs, 0, null);
    const seqs = await drawnSeqs(BEACON_SEED, subs, 0, BEACON_VALUE);
    // An entrant whose seq both another value and no value at all would change: the cases
    // below alter the value or hide the beacon, and each must move this ticket's place.
    const pre = tickets.find((t) => {
      const sub = decodeJwt(t).sub!;
      return seqs.get(sub) !== other.get(sub) && seqs.get(sub) !== seedOnly.get(sub);
    });
    assert.ok(pre, 'some entrant moves under both changes');
    moved = (await join(server, 'launch', pre)).json.ticket;
    ordered = await fairnessNow(server, 'launch');
    jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
  });
  after(() => server.close());

  it('passes while the draw waits for the value, with a pre-open ticket', async () => {
    const { code, report } = await auditCopy(waiting, jwks, '--ticket', tickets[0]!);
    assert.equal(code, 0, report);
    assert.match(report, /ok {3}beacon-committed: the commitment named round 1000/);
    assert.match(report, /ok {3}beacon-pending: the entrants are frozen and signed/);
    assert.match(report, /ok {3}ticket-place: one of the 8 entrants; the draw waits for round/);
  });

  it('passes once ordered: the seq of your ticket is the one the seed and the value give', async () => {
    const { code, report } = await audit(server.url, 'launch', '--ticket', moved);
    assert.equal(code, 0, report);
    assert.match(report, /ok {3}beacon-value-matches: ordered with round 1000/);
    assert.match(report, /ok {3}ticket-place: drawn \d of 8/);
    const publicValue = await audit(server.url, 'launch', '--beacon', BEACON_VALUE);
    assert.equal(publicValue.code, 0, publicValue.report);
    assert.match(publicValue.report, /ok {3}beacon-value-public/);
  });

  it('fails when the value you read from the beacon is not the one the draw used', async () => {
    const { code, report } = await audit(server.url, 'launch', '--beacon', OTHER_BEACON_VALUE);
    assert.equal(code, 1, report);
    assert.match(report, /FAIL beacon-value-public/);
  });

  it('fails on a record whose beacon value was altered: another value, another order', async () => {
    const altered = {
      ...ordered,
      draw: { ...ordered.draw, beacon: { ...ordered.draw.beacon, value: OTHER_BEACON_VALUE } },
    };
    const { code, report } = await auditCopy(altered, jwks, '--ticket', moved);
    assert.equal(code, 1, report);
    assert.match(report, /FAIL beacon-value-matches/);
    assert.match(report, /FAIL ticket-place/, 'the ticket is not where that value puts it');
  });

  it('fails on a record that shows another round, or hides the beacon', async () => {
    const otherRound = {
      ...ordered,
      draw: { ...ordered.draw, beacon: { ...ordered.draw.beacon, round: 1001 } },
    };
    assert.match((await auditCopy(otherRound, jwks)).report, /FAIL beacon-committed/);
    const hidden = { ...ordered, draw: { ...ordered.draw, beacon: null } };
    const { code, report } = await auditCopy(hidden, jwks, '--ticket', moved);
    assert.equal(code, 1, report);
    assert.match(report, /FAIL beacon-committed/);
    assert.match(report, /FAIL ticket-place/);
  });

  it('the independent script (node:crypto only) recomputes the same order', async () => {
    const child = execFile(process.execPath, ['scripts/verify-draw.mjs', '-']);
    const output = new Promise<string>((done, fail) => {
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('exit', (exitCode) => (exitCode === 0 ? done(text) : fail(new Error(text))));
    });
    child.stdin!.end(JSON.stringify(ordered));
    const result = JSON.parse(await output);
    const seqs = await drawnSeqs(BEACON_SEED, ordered.draw.entrants, 0, BEACON_VALUE);
    const expected = [...seqs].map(([sub, seq]) => ({ sub, seq }));
    assert.deepEqual(
      result.order,
      expected.sort((a, b) => a.seq - b.seq),
    );
    assert.equal(result.beacon.value, BEACON_VALUE);
  });
});
