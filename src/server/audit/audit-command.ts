/**
 * `queue-gate audit <server-url> <room> [--ticket <token>] [--beacon <hex>]`: fetches a room's
 * fairness record
 * and the server's JWKS, runs every check of `check-record.ts` and prints a readable report.
 * Exit code 0 when everything checks, 1 when anything fails or cannot be fetched, 2 on usage.
 */
import type { JSONWebKeySet } from 'jose';
import { PATHS } from '../../protocol.js';
import type { FairnessRecord } from '../../protocol.js';
import { auditFairnessRecord } from './check-record.js';

/** Usage line of the audit command. */
export const AUDIT_USAGE =
  'Usage: queue-gate audit <server-url> <room> [--ticket <ticket>] [--beacon <round value, hex>]';

/** Where the command writes, and how it fetches (injectable for tests). */
export interface AuditIo {
  out: (line: string) => void;
  err: (line: string) => void;
  fetch?: typeof fetch;
}

/**
 * Runs the audit command.
 *
 * @returns the exit code
 * @example
 * ```ts
 * const code = await runAudit(['https://queue.example.com', 'launch'], { out: console.log, err: console.error });
 * ```
 */
export async function runAudit(args: readonly string[], io: AuditIo): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`${parsed}\n${AUDIT_USAGE}`);
    return 2;
  }
  const doFetch = io.fetch ?? globalThis.fetch;
  const { server, room, ticket, beacon } = parsed;
  let record: FairnessRecord;
  let jwks: JSONWebKeySet;
  try {
    record = (await getJson(doFetch, new URL(PATHS.fairness(room), server))) as FairnessRecord;
    jwks = (await getJson(doFetch, new URL(record.jwks ?? PATHS.jwks, server))) as JSONWebKeySet;
  } catch (error) {
    io.err(`queue-gate audit: ${(error as Error).message}`);
    return 1;
  }
  const checks = await auditFairnessRecord({
    room,
    record,
    jwks,
    ...(ticket !== undefined ? { ticket } : {}),
    ...(beacon !== undefined ? { beaconValue: beacon } : {}),
  });
  const failed = checks.filter((check) => !check.ok);
  io.out(
    [
      `Fairness audit of room "${room}" at ${server.origin}`,
      ...checks.map((check) => `  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`),
      failed.length === 0
        ? `All ${checks.length} checks passed.`
        : `${failed.length} of ${checks.length} checks FAILED: ${failed.map((c) => c.name).join(', ')}`,
    ].join('\n'),
  );
  return failed.length === 0 ? 0 : 1;
}

interface AuditArgs {
  server: URL;
  room: string;
  ticket?: string;
  /** The beacon round's value as the auditor read it from the beacon. */
  beacon?: string;
}

const OPTIONS = {
  '--ticket': 'a ticket (compact JWS)',
  '--beacon': "the beacon round's value (hex) as the beacon published it",
} as const;

function parseArgs(args: readonly string[]): AuditArgs | string {
  const positional: string[] = [];
  const given: Partial<Record<keyof typeof OPTIONS, string>> = {};
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!;
    if (name in OPTIONS) {
      const option = name as keyof typeof OPTIONS;
      const value = args[++i];
      if (value === undefined || value === '') return `${option} needs ${OPTIONS[option]}.`;
      given[option] = value;
    } else positional.push(name);
  }
  const { '--ticket': ticket, '--beacon': beacon } = given;
  if (positional.length !== 2) return 'Give the server URL and the room.';
  let server: URL;
  try {
    server = new URL(positional[0]!);
  } catch {
    return `Not a URL: ${positional[0]}`;
  }
  return {
    server,
    room: positional[1]!,
    ...(ticket !== undefined ? { ticket } : {}),
    ...(beacon !== undefined ? { beacon } : {}),
  };
}

async function getJson(doFetch: typeof fetch, url: URL): Promise<unknown> {
  const response = await doFetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url.href} answered HTTP ${response.status}`);
  return response.json();
}
