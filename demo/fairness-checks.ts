/**
 * The operator panel's green and red facts: the public fairness record checked against the
 * server's JWKS in the browser, with the very code `npx queue-gate audit` runs
 * (`src/server/audit/check-record.ts`), so what the panel shows is what an auditor would find.
 */
import type { JSONWebKeySet } from 'jose';
import type { FairnessRecord } from '../src/protocol.js';
import { auditFairnessRecord } from '../src/server/audit/check-record.js';
import type { AuditCheck } from '../src/server/audit/check-record.js';

const COLORS = { ok: '#1b7f3b', fail: '#b3261e' } as const;

/** Replaces the items of `list` with one line per check, green when it held, red when not. */
export function showFairnessChecks(list: HTMLElement, checks: readonly AuditCheck[]): void {
  list.replaceChildren(
    ...checks.map((check) => {
      const item = document.createElement('li');
      item.dataset.check = check.name;
      item.dataset.ok = String(check.ok);
      item.style.color = check.ok ? COLORS.ok : COLORS.fail;
      item.textContent = `${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}`;
      return item;
    }),
  );
}

/**
 * Checks `record` against the key set `loadJwks` answers and shows the result in `list`; a key
 * set that cannot be read is shown as one red fact.
 *
 * @example
 * ```ts
 * await checkFairnessRecord(list, record, 'demo', async () => (await fetch('/.well-known/jwks.json')).json());
 * ```
 */
export async function checkFairnessRecord(
  list: HTMLElement,
  record: FairnessRecord,
  room: string,
  loadJwks: () => Promise<JSONWebKeySet>,
): Promise<void> {
  let jwks: JSONWebKeySet;
  try {
    jwks = await loadJwks();
  } catch (error) {
    showFairnessChecks(list, [
      {
        name: 'keys',
        ok: false,
        detail: `the JWKS could not be read (${(error as Error).message})`,
      },
    ]);
    return;
  }
  showFairnessChecks(list, await auditFairnessRecord({ room, record, jwks }));
}
