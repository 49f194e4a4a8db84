/**
 * `queue-gate/server` must not load ioredis (an optional peer dependency), and asking for Redis
 * without it must say what to install.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import {
  IOREDIS_MISSING_MESSAGE,
  IoredisMissingError,
  loadRedisModule,
} from '../../src/server/redis-loader.js';

/** Every module `entry` reaches through static imports and re-exports (relative ones followed). */
async function staticImports(entry: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const pending = [resolve(entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    // `import ... from 'x'`, `export ... from 'x'` and `import 'x'`, but not `import('x')`.
    for (const [, specifier] of text.matchAll(
      /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?\s*['"]([^'"]+)['"]/gm,
    )) {
      if (specifier!.startsWith('.')) {
        pending.push(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')));
      } else {
        seen.add(specifier!);
      }
    }
  }
  return seen;
}

describe('the Redis entry point', () => {
  it('keeps ioredis out of queue-gate/server and in queue-gate/server/redis', async () => {
    const server = await staticImports('src/server/index.ts');
    assert.ok(server.has('hono'), 'the walk follows the imports');
    assert.ok(!server.has('ioredis'), 'queue-gate/server loads ioredis');
    assert.ok((await staticImports('src/server/redis.ts')).has('ioredis'));
    const redis = await import('../../src/server/redis.js');
    assert.equal(typeof redis.RedisStore.open, 'function');
  });

  it('says to install ioredis when it is missing', async () => {
    // A module outside the package, where no node_modules holds ioredis: Node's own error.
    const dir = await mkdtemp(join(tmpdir(), 'queue-gate-no-ioredis-'));
    try {
      const file = join(dir, 'needs-ioredis.mjs');
      await writeFile(file, "export { Redis } from 'ioredis';\n");
      const loading = loadRedisModule(() => import(pathToFileURL(file).href));
      await assert.rejects(loading, (error: unknown) => {
        assert.ok(error instanceof IoredisMissingError);
        assert.equal(error.message, IOREDIS_MISSING_MESSAGE);
        assert.match(error.message, /install ioredis to use QUEUE_GATE_REDIS_URL/);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('passes other failures through unchanged', async () => {
    const other = Object.assign(new Error("Cannot find package 'ioredis-extra'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    await assert.rejects(
      loadRedisModule(() => Promise.reject(other)),
      (error) => error === other,
    );
  });
});
