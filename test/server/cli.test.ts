import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HELP, runCli } from '../../src/server/cli.js';

const captureIo = () => {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), onSignal: () => {} },
  };
};

describe('queue-gate CLI', () => {
  it('prints the help with every environment variable', async () => {
    const { out, io } = captureIo();
    assert.equal(await runCli(['--help'], {}, io), 0);
    assert.equal(out[0], HELP);
    for (const name of [
      'PORT',
      'HOST',
      'QUEUE_GATE_DATA_DIR',
      'QUEUE_GATE_ADMIN_TOKEN',
      'QUEUE_GATE_PUBLIC_URL',
      'QUEUE_GATE_METRICS_TOKEN',
      'QUEUE_GATE_TRUST_PROXY',
      'QUEUE_GATE_MAX_REQUESTS_PER_CLIENT',
      'QUEUE_GATE_REDIS_URL',
    ]) {
      assert.match(HELP, new RegExp(name));
    }
  });

  it('refuses unknown commands, bad ports and short admin tokens without starting', async () => {
    const unknown = captureIo();
    assert.equal(await runCli(['launch'], {}, unknown.io), 2);
    assert.match(unknown.err[0]!, /Unknown command/);
    const port = captureIo();
    assert.equal(await runCli(['serve'], { PORT: 'abc' }, port.io), 2);
    const token = captureIo();
    assert.equal(await runCli(['serve'], { QUEUE_GATE_ADMIN_TOKEN: 'short' }, token.io), 2);
    assert.doesNotMatch(token.err.join('\n'), /short/, 'the token is not echoed');
  });

  it('refuses malformed numbers, proxy flags and public URLs with a message instead of guessing', async () => {
    const cases: Array<[env: Record<string, string>, message: RegExp]> = [
      [{ PORT: '' }, /PORT/],
      [{ PORT: '0x10' }, /PORT/],
      [{ PORT: ' 80' }, /PORT/],
      [{ PORT: '70000' }, /PORT/],
      [{ PORT: '0', QUEUE_GATE_JOIN_LIMIT_PER_MINUTE: '1e3' }, /JOIN_LIMIT/],
      [{ PORT: '0', QUEUE_GATE_JOIN_POW_BITS: '' }, /POW_BITS/],
      // Harder than any client solves: it would lock out every new visitor.
      [{ PORT: '0', QUEUE_GATE_JOIN_POW_BITS: '25' }, /POW_BITS.*24/],
      [{ PORT: '0', QUEUE_GATE_TRUST_PROXY: 'yes' }, /TRUST_PROXY/],
      [{ PORT: '0', QUEUE_GATE_TRUST_PROXY: 'true' }, /TRUST_PROXY/],
      [{ PORT: '0', QUEUE_GATE_TRUST_PROXY: '' }, /TRUST_PROXY/],
      [{ PORT: '0', QUEUE_GATE_TRUST_PROXY: '-1' }, /TRUST_PROXY/],
      [{ PORT: '0', QUEUE_GATE_TRUST_PROXY: '1.5' }, /TRUST_PROXY/],
      // More proxies than any real chain: a typo, not a deployment.
      [{ PORT: '0', QUEUE_GATE_TRUST_PROXY: '11' }, /TRUST_PROXY.*0 \(none\) to 10/],
      [{ PORT: '0', QUEUE_GATE_MAX_REQUESTS_PER_CLIENT: 'lots' }, /MAX_REQUESTS_PER_CLIENT/],
      [{ PORT: '0', QUEUE_GATE_MAX_REQUESTS_PER_CLIENT: '-5' }, /MAX_REQUESTS_PER_CLIENT/],
      [{ PORT: '0', QUEUE_GATE_METRICS_TOKEN: 'short' }, /METRICS_TOKEN.*16/],
      [{ PORT: '0', QUEUE_GATE_PUBLIC_URL: 'not a url' }, /PUBLIC_URL/],
      [{ PORT: '0', QUEUE_GATE_PUBLIC_URL: 'ftp://queue.example' }, /PUBLIC_URL/],
    ];
    for (const [env, message] of cases) {
      const run = captureIo();
      const code = await runCli(
        ['serve'],
        { QUEUE_GATE_DATA_DIR: '/nonexistent/qg', ...env },
        run.io,
      );
      assert.equal(code, 2, JSON.stringify(env));
      assert.match(run.err.join('\n'), message);
      assert.deepEqual(run.out, [], 'nothing started');
    }
  });
});
