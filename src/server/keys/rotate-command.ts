/**
 * `queue-gate rotate-keys <server-url>`: asks a running server (`POST /admin/keys/rotate`, with
 * QUEUE_GATE_ADMIN_TOKEN) to rotate its signing keys. Through the server rather than the store,
 * so it works the same with the embedded store (which one process owns) and with Redis.
 */

/** Usage line of the command. */
export const ROTATE_KEYS_USAGE =
  'Usage: QUEUE_GATE_ADMIN_TOKEN=... queue-gate rotate-keys <server-url>';

/**
 * Runs the command.
 *
 * @returns the exit code: 0 rotated, 1 refused or unreachable, 2 usage
 * @example
 * ```ts
 * const code = await runRotateKeys(['https://queue.example.com'], process.env, console.log, console.error);
 * ```
 */
export async function runRotateKeys(
  args: readonly string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const token = env.QUEUE_GATE_ADMIN_TOKEN;
  let url: URL;
  try {
    if (args.length !== 1) throw new Error('one argument');
    url = new URL('/admin/keys/rotate', args[0]);
  } catch {
    err(ROTATE_KEYS_USAGE);
    return 2;
  }
  if (!token) {
    err(`QUEUE_GATE_ADMIN_TOKEN is not set.\n${ROTATE_KEYS_USAGE}`);
    return 2;
  }
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      err(`queue-gate rotate-keys: ${url.origin} answered HTTP ${response.status}`);
      return 1;
    }
    const keys = (await response.json()) as { current: string; next: string };
    out(`Rotated. Signing key now ${keys.current}; published next: ${keys.next}.`);
    return 0;
  } catch (error) {
    err(`queue-gate rotate-keys: ${(error as Error).message}`);
    return 1;
  }
}
