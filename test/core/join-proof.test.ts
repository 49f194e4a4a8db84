import { expect } from '@open-wc/testing';
import { createHttpTransport } from '../../src/core/http-transport.js';
import { parsePowChallenge, solveJoinProof } from '../../src/core/join-proof.js';
import { createManualClock } from '../../src/core/manual-clock.js';
import { createQueueEngine } from '../../src/core/queue-engine.js';
import { createQueueSimulator } from '../../src/mocks/queue-simulator.js';

const endpoint = 'https://queue.test';
const BITS = 8;

/** Counts leading zero bits independently of the code under test. */
async function zeroBits(room: string, proof: string): Promise<number> {
  const [timestamp, nonce] = proof.split('.');
  const digest = new Uint8Array(
    await crypto.subtle.digest(
      'SHA-256',
      new TextEncoder().encode(`${room}|${nonce}|${timestamp}`),
    ),
  );
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    for (let mask = 0x80; (byte & mask) === 0; mask >>= 1) bits += 1;
    break;
  }
  return bits;
}

interface SeenJoin {
  proof: string | null;
  ticket: boolean;
}

/**
 * A queue server double: the simulator behind a proof-of-work gate on new places that accepts
 * each good proof once (or, with `refuseAll`, none at all) and records every join.
 */
function challengedServer(options: { refuseAll?: boolean; serverNow?: number } = {}) {
  const clock = createManualClock(Date.UTC(2026, 0, 1, 9));
  const sim = createQueueSimulator({ room: 'demo', now: clock.now });
  const seen: SeenJoin[] = [];
  const used = new Set<string>();
  const fetchDouble: typeof fetch = async (input, init) => {
    if (String(input).endsWith('/join')) {
      const proof = new Headers(init?.headers).get('Queue-Gate-Proof');
      const ticket = typeof (JSON.parse(String(init?.body)) as { ticket?: unknown }).ticket;
      seen.push({ proof, ticket: ticket === 'string' });
      const good = proof !== null && !used.has(proof) && (await zeroBits('demo', proof)) >= BITS;
      if (ticket !== 'string' && (options.refuseAll || !good)) {
        if (proof) used.add(proof);
        return new Response(
          JSON.stringify({ error: { code: 'forbidden', message: 'Solve it.' } }),
          {
            status: 403,
            headers: {
              'Content-Type': 'application/json',
              'Queue-Gate-Challenge':
                options.serverNow === undefined
                  ? `pow bits=${BITS} window=120`
                  : `pow bits=${BITS} window=120 now=${options.serverNow}`,
            },
          },
        );
      }
      if (proof) used.add(proof);
    }
    return sim.fetch(input, init);
  };
  return { clock, sim, seen, fetch: fetchDouble };
}

describe('join proof of work', () => {
  it('reads a proof-of-work challenge header and refuses what it cannot or should not solve', () => {
    expect(parsePowChallenge('pow bits=18 window=120')).to.deep.equal({
      bits: 18,
      windowSeconds: 120,
    });
    expect(parsePowChallenge('pow bits=16')).to.deep.equal({ bits: 16, windowSeconds: 120 });
    expect(parsePowChallenge('pow bits=16 window=60 now=1767258000000')).to.deep.equal({
      bits: 16,
      windowSeconds: 60,
      serverNow: 1767258000000,
    });
    expect(parsePowChallenge(null)).to.equal(null);
    expect(parsePowChallenge('captcha site=abc')).to.equal(null);
    expect(parsePowChallenge('pow bits=0 window=120')).to.equal(null);
    expect(parsePowChallenge('pow bits=40 window=120'), 'too costly for a visitor').to.equal(null);
  });

  it('finds a proof whose hash has the asked-for zero bits, pausing for the page between batches', async () => {
    let pauses = 0;
    const proof = await solveJoinProof('demo', { bits: BITS, windowSeconds: 120 }, 1767258000000, {
      batchSize: 4,
      pause: async () => void (pauses += 1),
    });
    expect(proof).to.match(/^1767258000000\.[0-9a-z]+$/);
    expect(await zeroBits('demo', proof!)).to.be.at.least(BITS);
    const tried = parseInt(proof!.split('.')[1]!, 36) + 1;
    expect(pauses).to.equal(Math.ceil(tried / 4) - 1);
  });

  it('gives up after its attempt bound or when aborted instead of searching forever', async () => {
    const bounded = await solveJoinProof('demo', { bits: 24, windowSeconds: 120 }, 1, {
      maxAttempts: 20,
      pause: async () => {},
    });
    expect(bounded).to.equal(null);
    const controller = new AbortController();
    const aborted = solveJoinProof('demo', { bits: 24, windowSeconds: 120 }, 1, {
      batchSize: 8,
      pause: async () => controller.abort(),
      signal: controller.signal,
    });
    expect(await aborted).to.equal(null);
  });

  it('answers a challenged new join by solving the proof and joining again with it', async () => {
    const server = challengedServer();
    const transport = createHttpTransport({
      endpoint,
      room: 'demo',
      fetch: server.fetch,
      clock: server.clock,
      joinProof: { pause: async () => {} },
    });
    const joined = await transport.join(null);
    expect(joined.ok, JSON.stringify(joined)).to.equal(true);
    expect(server.seen).to.have.length(2);
    expect(server.seen[0]!.proof).to.equal(null);
    expect(server.seen[1]!.proof).to.match(new RegExp(`^${server.clock.now()}\\.[0-9a-z]+$`));
  });

  it("stamps the proof with the server's clock from the challenge, not the device's", async () => {
    const serverNow = Date.UTC(2026, 0, 1, 9);
    const server = challengedServer({ serverNow });
    await server.clock.advance(86_400_000); // this device runs a day ahead
    const transport = createHttpTransport({
      endpoint,
      room: 'demo',
      fetch: server.fetch,
      clock: server.clock,
      joinProof: { pause: async () => {} },
    });
    await transport.join(null);
    expect(server.seen[1]!.proof).to.match(new RegExp(`^${serverNow}\\.[0-9a-z]+$`));
  });

  it('never solves for a join with a ticket', async () => {
    const server = challengedServer({ refuseAll: true });
    const transport = createHttpTransport({ endpoint, room: 'demo', fetch: server.fetch });
    const joined = await transport.join(null);
    expect(joined.ok).to.equal(false);
    const first = await createHttpTransport({
      endpoint,
      room: 'demo',
      fetch: server.sim.fetch,
    }).join(null);
    if (!first.ok) throw new Error(first.failure.message);
    const { ticket } = first.value;
    server.seen.length = 0;
    const rejoined = await transport.join(ticket);
    expect(rejoined.ok).to.equal(true);
    expect(server.seen).to.deep.equal([{ proof: null, ticket: true }]);
  });

  it('sends one solved attempt per join and never the same proof twice, even with a stopped clock', async () => {
    const server = challengedServer({ refuseAll: true });
    const transport = createHttpTransport({
      endpoint,
      room: 'demo',
      fetch: server.fetch,
      clock: server.clock,
      joinProof: { pause: async () => {} },
    });
    const first = await transport.join(null);
    const second = await transport.join(null);
    for (const result of [first, second]) {
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.failure).to.include({ kind: 'http', code: 'forbidden' });
    }
    const proofs = server.seen.map((join) => join.proof);
    expect(proofs).to.have.length(4);
    expect(proofs[0]).to.equal(null);
    expect(proofs[2]).to.equal(null);
    expect(proofs[1]).to.be.a('string');
    expect(proofs[3]).to.be.a('string');
    expect(proofs[3]).not.to.equal(proofs[1]);
  });

  it('keeps the engine joining while it solves, and falls back to the normal backoff when the proof is refused', async () => {
    const server = challengedServer({ refuseAll: true });
    const statusAtJoin: string[] = [];
    const engine = createQueueEngine({
      endpoint,
      room: 'demo',
      fetch: (input, init) => {
        if (String(input).endsWith('/join')) statusAtJoin.push(engine.getSnapshot().status);
        return server.fetch(input, init);
      },
      clock: server.clock,
      storage: null,
      witnessStorage: null,
      coordinator: null,
      random: () => 0.5,
      lifecycle: { subscribe: () => () => {} },
      joinProof: { pause: async () => {} },
    });
    engine.start();
    const deadline = Date.now() + 5000;
    while (server.seen.length < 2 || engine.getSnapshot().nextAttemptAt === null) {
      if (Date.now() > deadline) throw new Error(`stuck: ${JSON.stringify(server.seen)}`);
      await new Promise((resume) => setTimeout(resume, 5));
    }
    const snapshot = engine.getSnapshot();
    // The solved attempt went out while the visitor was still shown "joining". (The first join
    // leaves during start(), before the first snapshot is published.)
    expect(statusAtJoin).to.have.length(2);
    expect(statusAtJoin[1]).to.equal('joining');
    expect(snapshot.status).to.equal('reconnecting');
    expect(snapshot.problem?.code).to.equal('forbidden');
    expect(snapshot.nextAttemptAt).to.be.greaterThan(server.clock.now());
    // Nothing more until the backoff runs out.
    await new Promise((resume) => setTimeout(resume, 50));
    expect(server.seen).to.have.length(2);
    engine.stop();
  });
});
