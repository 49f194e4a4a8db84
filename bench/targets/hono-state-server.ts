/**
 * Where the `state` gap comes from: a plain Hono app on `@hono/node-server` with only the state
 * route answering the same bytes and headers, optionally behind the queue server's own
 * `securityHeaders()` middleware (`BENCH_SECURITY_HEADERS=1`).
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { securityHeaders } from '../../src/server/security-headers.js';

const body = process.env.BENCH_STATE_BODY ?? '{}';
const headers = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': process.env.BENCH_STATE_CACHE_CONTROL ?? 'public, max-age=1',
  ETag: process.env.BENCH_STATE_ETAG ?? '"0"',
  ...(JSON.parse(process.env.BENCH_STATE_HEADERS ?? '{}') as Record<string, string>),
};
const app = new Hono();
if (process.env.BENCH_SECURITY_HEADERS === '1') app.use('*', securityHeaders());
app.get('/rooms/:room/state', () => new Response(body, { headers }));

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${info.port}` })}\n`);
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
});
