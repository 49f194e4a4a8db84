/** Whether the machine can draw Korean, checked before Korean screenshots are taken. */
import { spawnSync } from 'node:child_process';

/**
 * Throws when fontconfig is present but knows no font with Korean glyphs: Chromium would then
 * draw empty boxes, and a Korean screenshot would silently show nothing readable. Where
 * fontconfig itself is absent (not Linux), the system's own fonts are trusted.
 *
 * @throws Error telling how to install a CJK font
 * @example
 * ```ts
 * before(() => assertKoreanFont());
 * ```
 */
export function assertKoreanFont(): void {
  const listed = spawnSync('fc-list', [':lang=ko', 'family'], { encoding: 'utf8' });
  if (listed.error || listed.status !== 0) return;
  if (listed.stdout.trim() === '') {
    throw new Error(
      'No font with Korean glyphs: the Korean screenshots would show empty boxes. Install one (Debian/Ubuntu: sudo apt-get install -y fonts-noto-cjk).',
    );
  }
}
