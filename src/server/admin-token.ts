/**
 * Node-only: the admin token when none is configured. It is generated once, printed once, and
 * kept in the data directory (mode 0600) so that a restart does not lock the operator out.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './store/file-persistence.js';

/** File name of the generated admin token inside the data directory. */
export const ADMIN_TOKEN_FILE = 'admin-token';

/** A fresh random admin token (256 bits, base64url). */
export function generateAdminToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The admin token saved in `dataDir`, or a new one saved there.
 *
 * @returns the token and whether it was generated now (then print it once)
 */
export async function loadOrCreateAdminToken(
  dataDir: string,
): Promise<{ token: string; generated: boolean }> {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (token.length >= 16) return { token, generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = generateAdminToken();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${token}\n`, 0o600);
  return { token, generated: true };
}
