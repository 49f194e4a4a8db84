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
});
