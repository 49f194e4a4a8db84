/**
 * Live mode's "signed in as" switch: the visitor on stage is nobody, alice or bob, with
 * assertions from the DEMO identity issuer built into the server (`/demo/identity`, see
 * `src/server/routes/demo-identity.ts`), and an operator form that makes the room trust that
 * issuer (one place per person), optionally requiring the sign-in. Demo only: the issuer signs
 * anyone in by name, which no site would ever do.
 */
import type { QueueGateElement } from '../src/element/queue-gate-element.js';
import { required } from './demo-mode.js';

/** Where the chosen demo user is kept across reloads of this tab. */
const USER_KEY = 'queue-gate-demo:user';

/** Options of {@link wireIdentitySwitch}. */
export interface IdentitySwitchOptions {
  /** The queue server (the page's origin in live mode). */
  endpoint: string;
  /** The gate on stage now (a new visitor gets a new one). */
  gate: () => QueueGateElement;
  /** Puts room settings through the admin API, as the operator panel does. */
  configure: (label: string, settings: Record<string, unknown>) => Promise<void>;
  /** Notes a change in the event log. */
  note: (what: string, detail: string) => void;
}

/** The switch, for new gates to take the chosen user. */
export interface IdentitySwitch {
  /** Signs `gate` in as the chosen demo user (or nobody). */
  apply(gate: QueueGateElement): void;
}

function storedUser(): string {
  try {
    return sessionStorage.getItem(USER_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * Wires `#identity-switch` (radios named `demo-user`) and `#identity-form` inside `panel`.
 *
 * @param panel - the live panel
 * @param options - the server, the gate and the admin call
 */
export function wireIdentitySwitch(
  panel: ParentNode,
  options: IdentitySwitchOptions,
): IdentitySwitch {
  const group = required<HTMLFieldSetElement>(panel, '#identity-switch');
  let user = storedUser();
  const radio = group.querySelector<HTMLInputElement>(`input[value="${CSS.escape(user)}"]`);
  if (radio) radio.checked = true;
  else user = '';

  const apply = (gate: QueueGateElement) => {
    // Through `identity-url`, as a script-tag site would: the element fetches the assertion.
    gate.identityUrl = user ? `/demo/identity?user=${encodeURIComponent(user)}` : '';
    gate.signInUrl = '#identity-switch';
  };

  group.addEventListener('change', (event) => {
    const input = event.target as HTMLInputElement;
    if (input.name !== 'demo-user') return;
    user = input.value;
    try {
      sessionStorage.setItem(USER_KEY, user);
    } catch {
      // Blocked storage: the choice lasts until the page reloads.
    }
    apply(options.gate());
    options.note('demo sign-in', user ? `signed in as ${user}` : 'signed out');
  });

  required<HTMLFormElement>(panel, '#identity-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const identityRequired = required<HTMLInputElement>(panel, '#identity-required').checked;
    void (async () => {
      const response = await fetch(`${options.endpoint}/demo/identity/settings`);
      const identity = (await response.json()) as Record<string, unknown>;
      await options.configure(
        identityRequired ? 'one place per person, sign-in required' : 'one place per person',
        { identity, identityRequired },
      );
    })();
  });

  return { apply };
}
