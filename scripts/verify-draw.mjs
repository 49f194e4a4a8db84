#!/usr/bin/env node
// Recomputes a queue-gate opening draw from a room's public fairness record, independently of
// the server's code: node:crypto only.
//
//   node scripts/verify-draw.mjs record.json [--commitment <hex saved before opening>] [--sub <id>]
//   curl -s https://queue.example.com/rooms/launch/fairness | node scripts/verify-draw.mjs -
//
// Checks that sha256(seed) is the published commitment (and, with --commitment, the one you
// saved before the room opened), then prints the order: sub -> seq, where the subs are sorted by
// HMAC-SHA256(key, message = sub) in hex, ties by sub, and the i-th gets base + i + 1. The key is
// the seed bytes or, for a draw bound to a beacon round, SHA-256(seed bytes || beacon value bytes).
// Exit code 0 when everything checks, 1 when something does not, 2 for bad input.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

function fail(code, message) {
  process.stderr.write(`verify-draw: ${message}\n`);
  process.exit(code);
}

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const file = args.find((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (file === undefined)
  fail(2, 'usage: verify-draw.mjs <record.json | -> [--commitment hex] [--sub id]');

let record;
try {
  record = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
} catch (error) {
  fail(2, `cannot read the record: ${error.message}`);
}
const draw = record?.draw;
if (!draw || typeof draw.commitment !== 'string') fail(2, 'the record has no draw.');
if (draw.seed === null || !Array.isArray(draw.entrants)) fail(1, 'the draw has not run yet.');
if (!/^[0-9a-f]{64}$/.test(draw.seed)) fail(1, 'the revealed seed is not 32 bytes of hex.');

const seed = Buffer.from(draw.seed, 'hex');
const hashed = createHash('sha256').update(seed).digest('hex');
const problems = [];
if (hashed !== draw.commitment) problems.push('sha256(seed) differs from the published commitment');
const saved = option('--commitment');
if (saved !== undefined && saved.toLowerCase() !== hashed) {
  problems.push('sha256(seed) differs from the commitment saved before opening');
}

const beacon = draw.beacon ?? null;
if (beacon !== null && beacon.value === null) fail(1, 'the draw waits for its beacon value.');
if (beacon !== null && !/^(?:[0-9a-f]{2}){16,64}$/.test(beacon.value)) {
  fail(1, 'the beacon value is not lowercase hex.');
}
const key =
  beacon === null
    ? seed
    : createHash('sha256')
        .update(Buffer.concat([seed, Buffer.from(beacon.value, 'hex')]))
        .digest();
const ranked = [...new Set(draw.entrants)].map((sub) => ({
  sub,
  mark: createHmac('sha256', key).update(sub, 'utf8').digest('hex'),
}));
ranked.sort((a, b) =>
  a.mark < b.mark ? -1 : a.mark > b.mark ? 1 : a.sub < b.sub ? -1 : a.sub > b.sub ? 1 : 0,
);
const order = ranked.map(({ sub }, i) => ({ sub, seq: draw.base + i + 1 }));

const sub = option('--sub');
const result = {
  ok: problems.length === 0,
  problems,
  commitment: hashed,
  base: draw.base,
  ...(beacon !== null ? { beacon } : {}),
  entrants: order.length,
  order,
  ...(sub !== undefined ? { seqOfSub: order.find((entry) => entry.sub === sub)?.seq ?? null } : {}),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.exit(result.ok ? 0 : 1);
