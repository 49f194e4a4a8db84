/**
 * Baseline of the `state` benchmark: a bare `node:http` server that answers every request with
 * the bytes and caching headers the queue server sent for the room's state.
 */
import { createServer } from 'node:http';
import { listenAndAnnounce } from './listen.js';

const body = Buffer.from(process.env.BENCH_STATE_BODY ?? '{}');
const headers = {
  'Content-Type': 'application/json; charset=utf-8',
  'Content-Length': body.length,
  'Cache-Control': process.env.BENCH_STATE_CACHE_CONTROL ?? 'public, max-age=1',
  ETag: process.env.BENCH_STATE_ETAG ?? '"0"',
};

await listenAndAnnounce(
  createServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  }),
);
