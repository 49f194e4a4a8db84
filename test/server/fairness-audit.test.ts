import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader } from 'jose';
import { FAIRNESS_TOKEN_TYPES } from '../../src/protocol.js';
import { entrantsDigest } from '../../src/server/audit/fairness-digests.js';
import { adminCall, join, startTestServer } from './helpers/test-server.js';
import type { LooseJson, TestServer } from './helpers/test-server.js';
import { audit } from './helpers/run-audit.js';
import { serveCopy } from './helpers/tamper-server.js';

const run = promisify(execFile);
const SEED = '3c'.repeat(32);
const COMMITMENT = createHash('sha256').update(Buffer.from(SEED, 'hex')).digest('hex');

async function getJson(url: string): Promise<LooseJson> {
  const response = await fetch(url);
  assert.equal(response.status, 200);
  return response.json();
}

describe('signed fairness facts and the audit command', () => {
  let server: TestServer;
  let opensAt: number;
  let before_: LooseJson;
  let after_: LooseJson;
  let jwks: LooseJson;
  const tickets: string[] = [];

  before(async () => {
    server = await startTestServer({
      rooms: {},
      drawSeed: () => ({ seed: SEED, commitment: COMMITMENT }),
    });
    opensAt = server.clock.now() + 10 * 60_000;
    assert.equal(
      (await adminCall(server, 'PUT', 'launch', { admitPerMinute: 0, opensAt })).status,
      201,
    );
    before_ = await getJson(`${server.url}/rooms/launch/fairness`);
    for (let i = 0; i < 5; i += 1) tickets.push((await join(server, 'launch')).json.ticket);
    server.clock.advance(10 * 60_000 + 1000);
    assert.equal((await join(server, 'launch')).status, 200); // runs the draw
    server.clock.advance(6000); // past the record's 5 s cache
    after_ = await getJson(`${server.url}/rooms/launch/fairness`);
    jwks = await getJson(`${server.url}/.well-known/jwks.json`);
  });
  after(() => server.close());

  it('signs the commitment when the opening is scheduled, dated then and before the opening', async () => {
    const keys = createLocalJWKSet(jwks);
    const token: string = before_.signed.commitment;
    assert.equal(decodeProtectedHeader(token).typ, FAIRNESS_TOKEN_TYPES.commitment);
    await compactVerify(token, keys, { algorithms: ['EdDSA'] });
    const claims = decodeJwt(token);
    assert.equal(claims.room, 'launch');
    assert.equal(claims.commitment, COMMITMENT);
    assert.equal(claims.opensAt, opensAt);
    assert.equal(claims.committedAt, before_.draw.committedAt);
    assert.equal(claims.iat, Math.floor(before_.draw.committedAt / 1000));
    assert.ok((claims.committedAt as number) < opensAt);
    assert.equal(before_.signed.reveal, null, 'nothing revealed before the opening');
    assert.equal(after_.signed.commitment, token, 'the same commitment token after the draw');
  });

  it('signs the reveal with the seed, the size and digest of the entrant list and the base', async () => {
    const keys = createLocalJWKSet(jwks);
    const token: string = after_.signed.reveal;
    assert.equal(decodeProtectedHeader(token).typ, FAIRNESS_TOKEN_TYPES.reveal);
    await compactVerify(token, keys, { algorithms: ['EdDSA'] });
    const claims = decodeJwt(token);
    assert.equal(claims.seed, SEED);
    assert.equal(claims.entrants, 5);
    assert.equal(after_.draw.entrantCount, 5);
    assert.equal(claims.entrantsDigest, await entrantsDigest(after_.draw.entrants));
    assert.equal(claims.base, 0);
    assert.equal(claims.drawnAt, after_.draw.drawnAt);
    const series: string = after_.signed.series;
    assert.equal(decodeProtectedHeader(series).typ, FAIRNESS_TOKEN_TYPES.series);
    await compactVerify(series, keys, { algorithms: ['EdDSA'] });
  });

  it('refuses a fairness token whose payload was altered', async () => {
    const [header, , signature] = (after_.signed.reveal as string).split('.');
    const payload = Buffer.from(
      JSON.stringify({ ...decodeJwt(after_.signed.reveal), entrants: 4 }),
    ).toString('base64url');
    await assert.rejects(
      compactVerify(`${header}.${payload}.${signature}`, createLocalJWKSet(jwks), {
        algorithms: ['EdDSA'],
      }),
    );
  });

  it("passes the audit of an honest opening, with one's own ticket, over HTTP", async () => {
    const { code, report } = await audit(server.url, 'launch', '--ticket', tickets[2]!);
    assert.equal(code, 0, report);
    assert.match(report, /All \d+ checks passed/);
    assert.match(report, /ok {3}ticket-place: drawn \d of 5/);
    assert.match(report, /ok {3}seed-matches-commitment/);
  });

  it('the command exits non-zero from the shell on a failure, zero on success', async () => {
    const cli = ['--import', 'tsx', 'src/server/cli.ts', 'audit', server.url];
    const { stdout } = await run(process.execPath, [...cli, 'launch']);
    assert.match(stdout, /All \d+ checks passed/);
    await assert.rejects(
      run(process.execPath, [...cli, 'no-such-room']),
      (error: { code?: number }) => {
        assert.equal(error.code, 1);
        return true;
      },
    );
  });

  const tampered: Array<[string, (record: LooseJson) => LooseJson, RegExp]> = [
    [
      'the seed',
      (r) => ({ ...r, draw: { ...r.draw, seed: '3d'.repeat(32) } }),
      /FAIL seed-matches-commitment/,
    ],
    [
      'the entrant list',
      (r) => ({
        ...r,
        draw: { ...r.draw, entrants: [...r.draw.entrants.slice(1), crypto.randomUUID()].sort() },
      }),
      /FAIL entrants-match/,
    ],
    [
      'a signature',
      (r) => ({ ...r, signed: { ...r.signed, reveal: `${r.signed.reveal.slice(0, -4)}AAAA` } }),
      /FAIL reveal-signature/,
    ],
    [
      'the reveal (removed)',
      (r) => ({ ...r, signed: { ...r.signed, reveal: null } }),
      /FAIL reveal-signature: the record carries no signed/,
    ],
    [
      'the series',
      (r) => ({ ...r, series: r.series.map((p: LooseJson) => ({ ...p, issued: p.issued + 1 })) }),
      /FAIL series-matches/,
    ],
  ];
  for (const [what, tamper, failure] of tampered) {
    it(`fails the audit of a record whose ${what} was altered`, async () => {
      const copy = await serveCopy('launch', tamper(after_), jwks);
      try {
        const { code, report } = await audit(copy.url, 'launch');
        assert.equal(code, 1, report);
        assert.match(report, failure);
        assert.match(report, /checks FAILED/);
      } finally {
        await copy.close();
      }
    });
  }

  it('fails the ticket check when the draw did not place the ticket where the seed says', async () => {
    // An honest copy, but a ticket whose visitor is not among the entrants.
    const stranger = (await join(server, 'launch')).json.ticket as string;
    const forged = { ...after_, draw: { ...after_.draw } };
    const copy = await serveCopy('launch', forged, jwks);
    try {
      const pre = await audit(copy.url, 'launch', '--ticket', tickets[0]!);
      assert.equal(pre.code, 0, pre.report);
      const late = await audit(copy.url, 'launch', '--ticket', stranger);
      assert.equal(late.code, 0, late.report); // a later visitor is behind the whole draw
      const without = {
        ...after_,
        draw: {
          ...after_.draw,
          entrants: after_.draw.entrants.filter((s: string) => s !== decodeJwt(tickets[0]!).sub),
        },
      };
      const copy2 = await serveCopy('launch', without, jwks);
      try {
        const dropped = await audit(copy2.url, 'launch', '--ticket', tickets[0]!);
        assert.equal(dropped.code, 1);
        assert.match(dropped.report, /FAIL ticket-place: your pre-open ticket/);
      } finally {
        await copy2.close();
      }
    } finally {
      await copy.close();
    }
  });
});
