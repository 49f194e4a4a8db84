/**
 * A booking backend built exactly as docs/verify.md shows (Hono + `queueAdmission`, the JWKS
 * fetched from the queue server), on its own port and clock: what an integrator runs.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { queueAdmission } from '../../../src/verify/index.js';
import type { QueueAdmissionVariables } from '../../../src/verify/index.js';

export interface BookingBackend {
  url: string;
  /** POSTs a booking with `admission` as bearer; status and parsed JSON body. */
  book(admission: string): Promise<{ status: number; code: string | null; seq: number | null }>;
  close(): Promise<void>;
}

export interface BookingBackendOptions {
  /** The queue server's public origin (its issuer; the JWKS is fetched from it). */
  queueUrl: string;
  audience: string;
  room: string;
  now: () => number;
}

export async function startBookingBackend(options: BookingBackendOptions): Promise<BookingBackend> {
  const app = new Hono<{ Variables: QueueAdmissionVariables }>();
  app.post(
    '/book',
    queueAdmission({
      jwksUrl: `${options.queueUrl}/.well-known/jwks.json`,
      issuer: options.queueUrl,
      audience: options.audience,
      room: options.room,
      now: options.now,
    }),
    (c) => c.json({ booked: true, seq: c.get('queueAdmission').seq }),
  );
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((ready) => server.once('listening', () => ready()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async book(admission) {
      const response = await fetch(`${url}/book`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admission}` },
      });
      const json = (await response.json()) as {
        seq?: number;
        error?: { code: string };
      };
      return {
        status: response.status,
        code: json.error?.code ?? null,
        seq: json.seq ?? null,
      };
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
