/**
 * The verifier section of BENCHMARKS.md: `verifyAdmission` (what a booking backend runs on
 * every booking) against bare jose `jwtVerify` of the same token with the same key, in process.
 */
import { randomUUID } from 'node:crypto';
import {
  SignJWT,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
} from 'jose';
import { TOKEN_TYPES } from '../src/protocol.js';
import { verifyAdmission } from '../src/verify/verify-admission.js';
import { TOKEN_ALGORITHM } from '../src/verify/verify-signed-token.js';
import { count, markdownTable, ratio, verdict } from './markdown-table.js';

/** Calls `op` back to back for `ms` and returns calls per second. */
async function opsPerSecond(op: () => Promise<unknown>, ms: number): Promise<number> {
  const start = performance.now();
  const end = start + ms;
  let done = 0;
  while (performance.now() < end) {
    await op();
    done += 1;
  }
  return done / ((performance.now() - start) / 1000);
}

/**
 * Runs `a` and `b` in alternating slices (so a slow moment of the machine hits both alike)
 * for `totalMs` each, and returns their mean rates.
 */
async function compare(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  totalMs: number,
): Promise<[number, number]> {
  const slices = 6;
  let sumA = 0;
  let sumB = 0;
  for (let i = 0; i < slices; i += 1) {
    sumA += await opsPerSecond(a, totalMs / slices);
    sumB += await opsPerSecond(b, totalMs / slices);
  }
  return [sumA / slices, sumB / slices];
}

/**
 * Runs the verifier benchmark and returns its section of BENCHMARKS.md.
 *
 * @example
 * ```ts
 * const markdown = await benchVerify({ durationMs: 3000 });
 * ```
 */
export async function benchVerify(options: { durationMs: number }): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519' });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwks = { keys: [{ ...publicJwk, kid, alg: TOKEN_ALGORITHM, use: 'sig' }] };
  const issuer = 'https://queue.example.com';
  const audience = 'https://tickets.example.com';
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    sub: randomUUID(),
    room: 'launch',
    seq: 42,
    jti: randomUUID(),
    // The latest `exp` any admission of the place may carry (a required claim).
    placeExp: now + 300,
  })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: TOKEN_TYPES.admission, kid })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + 120)
    .sign(privateKey);
  const expected = { room: 'launch', audience, issuer };
  const localSet = createLocalJWKSet(jwks);
  // Both sides must accept the token, or the comparison measures an error path.
  await verifyAdmission(token, { ...expected, key: publicKey });
  await jwtVerify(token, publicKey, { algorithms: [TOKEN_ALGORITHM] });

  const [helperKey, bareKey] = await compare(
    () => verifyAdmission(token, { ...expected, key: publicKey }),
    () => jwtVerify(token, publicKey, { algorithms: [TOKEN_ALGORITHM] }),
    options.durationMs,
  );
  const [helperJwks, bareJwks] = await compare(
    () => verifyAdmission(token, { ...expected, jwks }),
    () => jwtVerify(token, localSet, { algorithms: [TOKEN_ALGORITHM] }),
    options.durationMs,
  );
  return [
    '## Verifying admissions',
    '',
    `In process, one admission verified over and over for ${options.durationMs / 1000} s per ` +
      `side, in alternating slices. The helper checks everything a booking backend needs ` +
      `(signature with EdDSA pinned, \`typ\`, issuer, audience, room, times, every claim's shape); ` +
      `the baseline is bare \`jwtVerify\` with the algorithm pinned and nothing else.`,
    '',
    markdownTable(
      ['key given as', '`verifyAdmission` /s', 'bare `jwtVerify` /s', 'ratio', 'goal', ''],
      [
        [
          'public key',
          count(helperKey),
          count(bareKey),
          ratio(helperKey, bareKey),
          '>= 0.8x',
          verdict(helperKey >= 0.8 * bareKey),
        ],
        [
          'JWKS (local set)',
          count(helperJwks),
          count(bareJwks),
          ratio(helperJwks, bareJwks),
          '>= 0.8x',
          verdict(helperJwks >= 0.8 * bareJwks),
        ],
      ],
    ),
    '',
  ].join('\n');
}
