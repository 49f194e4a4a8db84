/**
 * Soak test: the real CLI server in a child process, thousands of simulated visitors on
 * loopback at half of the measured saturation, for minutes. Reports the server's memory
 * growth, its open file descriptors and the p99 latency, and exits non-zero when they are
 * not stable. Not part of `npm test` (it takes minutes); run it with `npm run soak`.
 *
 * Settings (environment):
 *   SOAK_MINUTES   how long to run at half saturation (default 3)
 *   SOAK_CLIENTS   simulated visitors (default 3000)
 *   SOAK_CALIBRATE_SECONDS  how long to measure saturation first (default 5)
 *
 * Why half of saturation: at full load latency is queueing, not the server; half leaves
 * headroom like a real deployment sized for its peak, so what grows over the run (heap, file
 * descriptors, p99) is a leak, not a queue.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';

const MINUTES = Number(process.env.SOAK_MINUTES ?? '3');
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? '3000');
const CALIBRATE_SECONDS = Number(process.env.SOAK_CALIBRATE_SECONDS ?? '5');
const ADMIN_TOKEN = 'soak-admin-token-0123456789abcdef';
const ROOM = 'soak';
const SAMPLE_MS = 5_000;

interface Visitor {
  ticket: string | null;
  seq: number;
  admitted: boolean;
}

interface Sample {
  atSeconds: number;
  rssMb: number;
  openFds: number | null;
  requests: number;
  p99Ms: number;
}

type Kind = 'join' | 'rejoin' | 'state' | 'admit' | 'book';

const latencies = new Map<Kind, number[]>();
const statuses = new Map<string, number>();
let windowLatencies: number[] = [];
let completed = 0;
let serving = 0;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(kind: Kind, request: () => Promise<Response>): Promise<Response | null> {
  const started = performance.now();
  try {
    const response = await request();
    await response.clone().arrayBuffer();
    const ms = performance.now() - started;
    (latencies.get(kind) ?? latencies.set(kind, []).get(kind)!).push(ms);
    windowLatencies.push(ms);
    statuses.set(
      `${kind} ${response.status}`,
      (statuses.get(`${kind} ${response.status}`) ?? 0) + 1,
    );
    completed += 1;
    return response;
  } catch {
    statuses.set(`${kind} network-error`, (statuses.get(`${kind} network-error`) ?? 0) + 1);
    return null;
  }
}

/** One step of one visitor: join, poll (mostly), reload now and then, claim and book at their turn. */
async function step(base: string, visitor: Visitor): Promise<void> {
  if (visitor.ticket === null) {
    const response = await timed('join', () =>
      fetch(`${base}/rooms/${ROOM}/join`, { method: 'POST' }),
    );
    if (response?.ok) {
      const body = (await response.json()) as { ticket: string; seq: number };
      visitor.ticket = body.ticket;
      visitor.seq = body.seq;
    }
    return;
  }
  if (!visitor.admitted && visitor.seq <= serving) {
    const response = await timed('admit', () =>
      fetch(`${base}/rooms/${ROOM}/admit`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${visitor.ticket}` },
      }),
    );
    if (response?.ok) {
      const { admission } = (await response.json()) as { admission: string };
      visitor.admitted = true;
      await timed('book', () =>
        fetch(`${base}/demo/book?room=${ROOM}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${admission}` },
        }),
      );
      // Booked: the visitor leaves, and a new one takes the slot in the simulation.
      visitor.ticket = null;
      visitor.admitted = false;
    }
    return;
  }
  if (Math.random() < 0.1) {
    await timed('rejoin', () =>
      fetch(`${base}/rooms/${ROOM}/join`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ticket: visitor.ticket }),
      }),
    );
    return;
  }
  const response = await timed('state', () => fetch(`${base}/rooms/${ROOM}/state`));
  if (response?.ok)
    serving = Math.max(serving, ((await response.json()) as { serving: number }).serving);
}

async function startServer(
  dataDir: string,
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      QUEUE_GATE_DATA_DIR: dataDir,
      QUEUE_GATE_ADMIN_TOKEN: ADMIN_TOKEN,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((ready, fail) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) ready(match[1]!);
    });
    child.once('exit', () => fail(new Error(`server exited:\n${output}`)));
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function rssMb(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function openFds(pid: number): Promise<number | null> {
  try {
    return (await readdir(`/proc/${pid}/fd`)).length;
  } catch {
    return null; // not Linux: reported as unknown
  }
}

/** Runs visitors as fast as they go with `workers` at once, and returns requests per second. */
async function calibrate(base: string, visitors: Visitor[], workers: number): Promise<number> {
  const until = Date.now() + CALIBRATE_SECONDS * 1000;
  const before = completed;
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until) await step(base, visitors[next++ % visitors.length]!);
    }),
  );
  return (completed - before) / CALIBRATE_SECONDS;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(joinPath(tmpdir(), 'queue-gate-soak-'));
  const server = await startServer(dataDir);
  try {
    const put = await fetch(`${server.url}/admin/rooms/${ROOM}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ admitPerMinute: 1200, holdSeconds: 600 }),
    });
    if (!put.ok) throw new Error(`could not create the room: ${put.status}`);
    const visitors: Visitor[] = Array.from({ length: CLIENTS }, () => ({
      ticket: null,
      seq: 0,
      admitted: false,
    }));

    const fdsBaseline = await openFds(server.pid);
    const saturation = await calibrate(server.url, visitors, 128);
    const target = saturation / 2;
    console.log(
      `saturation ≈ ${saturation.toFixed(0)} req/s; soaking at ${target.toFixed(0)} req/s with ${CLIENTS} visitors for ${MINUTES} min`,
    );
    latencies.clear();
    statuses.clear();

    const samples: Sample[] = [];
    const started = Date.now();
    const until = started + MINUTES * 60_000;
    let inFlight = 0;
    let skipped = 0;
    let owed = 0;
    let cursor = 0;
    const maxInFlight = 512;
    let lastTick = Date.now();
    // Open loop: requests are sent at the target rate whatever the answers' speed, as real
    // visitors do; if the server slows down, requests pile up in flight instead of slowing us.
    const driver = setInterval(() => {
      const now = Date.now();
      owed += ((now - lastTick) / 1000) * target;
      lastTick = now;
      while (owed >= 1) {
        owed -= 1;
        if (inFlight >= maxInFlight) {
          skipped += 1;
          continue;
        }
        inFlight += 1;
        void step(server.url, visitors[cursor++ % visitors.length]!).finally(() => (inFlight -= 1));
      }
    }, 10);
    let lastCompleted = completed;
    await new Promise<void>((done) => {
      const sampler = setInterval(async () => {
        const sample: Sample = {
          atSeconds: Math.round((Date.now() - started) / 1000),
          rssMb: await rssMb(server.pid),
          openFds: await openFds(server.pid),
          requests: completed - lastCompleted,
          p99Ms: percentile(windowLatencies, 99),
        };
        lastCompleted = completed;
        windowLatencies = [];
        samples.push(sample);
        console.log(
          `t=${sample.atSeconds}s rss=${sample.rssMb.toFixed(1)}MB fds=${sample.openFds ?? 'n/a'} ` +
            `req/s=${(sample.requests / (SAMPLE_MS / 1000)).toFixed(0)} p99=${sample.p99Ms.toFixed(1)}ms in-flight=${inFlight}`,
        );
        if (Date.now() >= until) {
          clearInterval(sampler);
          done();
        }
      }, SAMPLE_MS);
    });
    clearInterval(driver);
    while (inFlight > 0) await new Promise((wait) => setTimeout(wait, 50));

    const third = Math.max(1, Math.floor(samples.length / 3));
    const early = percentile(
      samples.slice(0, third).map((s) => s.rssMb),
      50,
    );
    const late = percentile(
      samples.slice(-third).map((s) => s.rssMb),
      50,
    );
    const growth = early > 0 ? (late - early) / early : 0;
    const earlyP99 = percentile(
      samples.slice(0, third).map((s) => s.p99Ms),
      50,
    );
    const lateP99 = percentile(
      samples.slice(-third).map((s) => s.p99Ms),
      50,
    );
    // Idle keep-alive connections are closed by the server after its keep-alive timeout; what
    // is still open after that is a leak (a socket, a file handle, a timer's handle).
    await new Promise((wait) => setTimeout(wait, 8_000));
    const fdsAfter = await openFds(server.pid);
    const all = [...latencies.values()].flat();

    console.log('\nlatency by request (ms):');
    for (const [kind, values] of latencies) {
      console.log(
        `  ${kind.padEnd(7)} n=${String(values.length).padStart(7)} p50=${percentile(values, 50).toFixed(1)} ` +
          `p99=${percentile(values, 99).toFixed(1)} max=${percentile(values, 100).toFixed(1)}`,
      );
    }
    console.log('answers:', Object.fromEntries([...statuses].sort()));
    console.log(`requests skipped because ${maxInFlight} were in flight: ${skipped}`);
    console.log(`overall p99: ${percentile(all, 99).toFixed(1)} ms`);
    console.log(
      `server RSS: ${early.toFixed(1)} MB early, ${late.toFixed(1)} MB late (${(growth * 100).toFixed(1)}%)`,
    );
    console.log(
      `server open fds: ${fdsBaseline ?? 'n/a'} before the load, ${fdsAfter ?? 'n/a'} once idle after it`,
    );
    console.log(`p99 early ${earlyP99.toFixed(1)} ms, late ${lateP99.toFixed(1)} ms`);

    const problems: string[] = [];
    if (growth > 0.25) problems.push(`memory grew by ${(growth * 100).toFixed(0)}%`);
    if (fdsBaseline !== null && fdsAfter !== null && fdsAfter > fdsBaseline + 16) {
      problems.push(`open fds grew from ${fdsBaseline} to ${fdsAfter}`);
    }
    if (lateP99 > Math.max(50, earlyP99 * 3))
      problems.push(`p99 rose from ${earlyP99.toFixed(1)} to ${lateP99.toFixed(1)} ms`);
    const failures = [...statuses].filter(([key]) => / (5\d\d|network-error)$/.test(key));
    if (failures.length > 0)
      problems.push(`server errors: ${JSON.stringify(Object.fromEntries(failures))}`);
    if (problems.length > 0) {
      console.log(`\nNOT STABLE: ${problems.join('; ')}`);
      process.exitCode = 1;
    } else {
      console.log('\nstable');
    }
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
