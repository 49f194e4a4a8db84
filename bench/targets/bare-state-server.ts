/**
 * Baseline of the `state` benchmark: a bare `node:http` server that answers every request with
 * the bytes and headers the queue server sent for the room's state (`BENCH_STATE_HEADERS`, a
 * JSON object of them; else only the caching ones).
 */
import { createServer } from 'node:http';
import { listenAndAnnounce } from './listen.js';

const body = Buffer.from(process.env.BENCH_STATE_BODY ?? '{}');
const headers = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': process.env.BENCH_STATE_CACHE_CONTROL ?? 'public, max-age=1',
  ETag: process.env.BENCH_STATE_ETAG ?? '"0"',
  ...(JSON.parse(process.env.BENCH_STATE_HEADERS ?? '{}') as Record<string, string>),
  'Content-Length': body.length,
};

await listenAndAnnounce(
  createServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  }),
);
