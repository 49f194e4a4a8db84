/** Runs `queue-gate audit` in the test's process and collects what it prints. */
import { runAudit } from '../../../src/server/audit/audit-command.js';

/** The audit of `room` at `url` with `extra` arguments: its exit code and its report. */
export async function audit(
  url: string,
  room: string,
  ...extra: string[]
): Promise<{ code: number; report: string }> {
  const out: string[] = [];
  const code = await runAudit([url, room, ...extra], {
    out: (line) => out.push(line),
    err: (line) => out.push(line),
  });
  return { code, report: out.join('\n') };
}
